/**
 * The two identity providers the development stand-in plays. `contoso` is CONTOSO's own ADFS (the
 * corporate IdP); `fabrikam` a partner company whose contractors sign in with their own employer's
 * IdP. Same code, another entityID, directory, key and port. Paths are relative to the repository root.
 */
export interface DevStsPreset {
  entityId: string;
  name: string;
  directoryFile: string;
  keyFile: string;
  certFile: string;
  port: number;
}

export const DEV_STS_PRESETS = {
  contoso: {
    entityId: 'urn:contoso:dev-sts',
    name: 'CONTOSO development STS',
    directoryFile: 'config/dev/directory.json',
    keyFile: 'config/dev/keys/dev-sts.key',
    certFile: 'config/dev/keys/dev-sts.crt',
    port: 3100,
  },
  fabrikam: {
    entityId: 'urn:fabrikam:dev-idp',
    name: 'Fabrikam development IdP',
    directoryFile: 'config/dev/fabrikam-directory.json',
    keyFile: 'config/dev/keys/fabrikam-idp.key',
    certFile: 'config/dev/keys/fabrikam-idp.crt',
    port: 3101,
  },
} as const satisfies Record<string, DevStsPreset>;

export type DevStsPresetName = keyof typeof DEV_STS_PRESETS;

export const CONTOSO_PRESET: DevStsPreset = DEV_STS_PRESETS.contoso;
export const FABRIKAM_PRESET: DevStsPreset = DEV_STS_PRESETS.fabrikam;
