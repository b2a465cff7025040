import type { EntityManager } from 'typeorm';
import type { CompilerZone } from '../compiler/compiler.types.js';
import { ComplianceZoneEntity } from './zone.entity.js';

/** The tenant's zones as the compiler takes them, read in the caller's transaction. */
export async function loadZoneCompileInput(m: EntityManager, tenantId: string): Promise<CompilerZone[]> {
  const rows = await m.find(ComplianceZoneEntity, { where: { tenantId }, order: { name: 'ASC' } });
  return rows.map(({ name, clusterSelector, allowedZones }) => ({ name, clusterSelector, allowedZones }));
}
