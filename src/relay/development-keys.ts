/**
 * DEVELOPMENT ONLY. These keys are public (they are in the repository): the relay emulator accepts
 * them, and the link service and erp-relay use them by default so that `npm start -- --target cloud`
 * works on a fresh clone. Against a real Azure Relay namespace, configure the keys of its shared
 * access policies instead; both the link service and erp-relay refuse these keys for a relay that is
 * not on this machine.
 */
export const DEVELOPMENT_HYBRID_CONNECTION = 'erp';

export const DEVELOPMENT_SEND_KEY_NAME = 'timesheet-send';
export const DEVELOPMENT_SEND_KEY = 'DEVELOPMENT-ONLY-relay-send-key-never-use-in-production';

export const DEVELOPMENT_LISTEN_KEY_NAME = 'link-listen';
export const DEVELOPMENT_LISTEN_KEY = 'DEVELOPMENT-ONLY-relay-listen-key-never-use-in-production';

export const DEVELOPMENT_KEYS: readonly string[] = [DEVELOPMENT_SEND_KEY, DEVELOPMENT_LISTEN_KEY];
