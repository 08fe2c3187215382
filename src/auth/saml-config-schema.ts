import { z } from 'zod';

/** The `saml` section of the configuration: this service provider and the identity providers it trusts. */
export const samlConfigSchema = z.object({}).passthrough();

export type SamlConfig = z.infer<typeof samlConfigSchema>;
