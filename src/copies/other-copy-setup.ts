import type { Container } from 'inversify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config-schema.js';
import { OTHER_COPY_TRANSPORT, type OtherCopyTransport } from '../ports/other-copy.js';
import { OtherCopyClient } from './other-copy-client.js';

/**
 * The link to the other copy, when this copy has one: a transport from its target's plugin, the
 * other copy's address (`burst.otherUrl`) and the shared secret (`copies.secrets`). Says at start-up
 * which it is, because two copies that cannot talk each decide their own window and keep their own
 * drafts.
 */
export function otherCopyClient(container: Container, config: AppConfig, logger: Logger): OtherCopyClient | null {
  const transport = container.isBound(OTHER_COPY_TRANSPORT)
    ? container.get<OtherCopyTransport | null>(OTHER_COPY_TRANSPORT)
    : null;
  if (!config.burst.otherUrl || !transport) return null;
  if (config.copies.secrets.length === 0) {
    logger.warn(
      { otherCopy: transport.description },
      'copies.secrets is empty: this copy does not talk to the other one (no shared burst window, no draft hand-over)',
    );
    return null;
  }
  logger.info(
    { otherCopy: transport.description },
    'linked to the other copy (one burst window, drafts follow the person)',
  );
  return new OtherCopyClient(transport, config.copies.secrets, config.target);
}
