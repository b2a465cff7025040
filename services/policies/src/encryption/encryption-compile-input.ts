import type { EntityManager } from 'typeorm';
import type { CompilerEncryption, WireguardSettings } from '../compiler/compiler.types.js';
import { EncryptionSettingEntity, MESH_WIDE_SCOPE } from './encryption-setting.entity.js';

/** The tenant's WireGuard settings as the compiler takes them, read in the caller's transaction. */
export async function loadEncryptionCompileInput(
  m: EntityManager,
  tenantId: string,
): Promise<CompilerEncryption> {
  const rows = await m.find(EncryptionSettingEntity, { where: { tenantId } });
  const clusters: Record<string, WireguardSettings> = {};
  let meshWide: WireguardSettings | undefined;
  for (const row of rows) {
    if (row.scope === MESH_WIDE_SCOPE) meshWide = row.settings;
    else clusters[row.scope] = row.settings;
  }
  return { ...(meshWide ? { meshWide } : {}), clusters };
}
