import { randomUUID } from 'node:crypto';
import { TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { CompileTrigger } from '../bundles/compile-trigger.js';
import { invalidInput } from '../validation/invalid-input.js';
import { lockTenantZones } from './tenant-zones-lock.js';
import { ComplianceZoneEntity } from './zone.entity.js';
import type {
  ComplianceZone,
  ComplianceZoneChange,
  CreateComplianceZoneInput,
  UpdateComplianceZoneInput,
} from './zone.model.js';
import { MAX_ZONES_PER_TENANT, zoneIssues } from './zone-rules.js';
import { zonesError } from './zones.errors.js';

const UUID = z.uuid();

function toZoneModel(row: ComplianceZoneEntity): ComplianceZone {
  return {
    id: row.id,
    name: row.name,
    clusterSelector: row.clusterSelector,
    isolation: { allowedZones: [...row.allowedZones] },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

@Injectable()
export class ZonesService {
  constructor(
    private readonly db: TenantDb,
    private readonly trigger: CompileTrigger,
  ) {}

  async list(tenantId: string): Promise<ComplianceZone[]> {
    const rows = await this.db.tenant(tenantId, (m) =>
      m.find(ComplianceZoneEntity, { where: { tenantId }, order: { name: 'ASC' } }),
    );
    return rows.map(toZoneModel);
  }

  async get(tenantId: string, id: string): Promise<ComplianceZone> {
    return toZoneModel(await this.db.tenant(tenantId, (m) => this.find(m, tenantId, id)));
  }

  async create(tenantId: string, input: CreateComplianceZoneInput): Promise<ComplianceZoneChange> {
    const allowedZones = input.isolation?.allowedZones ?? [];
    return this.write(tenantId, 'compliance zone created', async (m) => {
      await lockTenantZones(m, tenantId);
      const others = await this.names(m, tenantId);
      const issues = zoneIssues(
        { name: input.name, clusterSelector: input.clusterSelector, allowedZones },
        input.name,
        others,
      );
      if (issues.length > 0) throw invalidInput('INVALID_ZONE', issues);
      if (others.has(input.name)) throw zonesError('ZONE_NAME_TAKEN', { field: 'input.name' });
      if (others.size >= MAX_ZONES_PER_TENANT) throw zonesError('ZONE_LIMIT');
      return m.save(
        m.create(ComplianceZoneEntity, {
          tenantId,
          name: input.name,
          clusterSelector: input.clusterSelector,
          allowedZones: [...allowedZones].sort(),
        }),
      );
    });
  }

  async update(
    tenantId: string,
    id: string,
    input: UpdateComplianceZoneInput,
  ): Promise<ComplianceZoneChange> {
    return this.write(tenantId, 'compliance zone updated', async (m) => {
      await lockTenantZones(m, tenantId);
      const row = await this.find(m, tenantId, id);
      const others = await this.names(m, tenantId);
      others.delete(row.name);
      const clusterSelector = input.clusterSelector ?? undefined;
      const allowedZones = input.isolation?.allowedZones;
      const issues = zoneIssues({ clusterSelector, allowedZones }, row.name, others);
      if (issues.length > 0) throw invalidInput('INVALID_ZONE', issues);
      if (clusterSelector !== undefined) row.clusterSelector = clusterSelector;
      if (allowedZones !== undefined) row.allowedZones = [...allowedZones].sort();
      return m.save(row);
    });
  }

  /** Deletes a zone no other zone allows (CONFLICT naming them otherwise). */
  async delete(tenantId: string, id: string): Promise<ComplianceZoneChange> {
    return this.write(tenantId, 'compliance zone deleted', async (m) => {
      await lockTenantZones(m, tenantId);
      const row = await this.find(m, tenantId, id);
      const referrers = (await m.find(ComplianceZoneEntity, { where: { tenantId } }))
        .filter((zone) => zone.allowedZones.includes(row.name))
        .map((zone) => zone.name)
        .sort();
      if (referrers.length > 0) {
        throw zonesError(
          'ZONE_IN_USE',
          { field: 'id', zones: referrers },
          `zone${referrers.length === 1 ? '' : 's'} ${referrers.map((n) => `'${n}'`).join(', ')} allow${referrers.length === 1 ? 's' : ''} traffic with '${row.name}'; remove it from their allowedZones first`,
        );
      }
      await m.delete(ComplianceZoneEntity, { id: row.id, tenantId });
      return { ...row, deleted: true as const };
    });
  }

  /**
   * Runs a zone write and, in the same transaction, records a compile request (so the change
   * and the request commit together); the compile is queued once it has committed.
   */
  private async write(
    tenantId: string,
    reason: string,
    work: (m: EntityManager) => Promise<ComplianceZoneEntity | (ComplianceZoneEntity & { deleted: true })>,
  ): Promise<ComplianceZoneChange> {
    const changeId = randomUUID();
    const { row, requestId } = await this.db.tenant(tenantId, async (m) => {
      const row = await work(m);
      const requestId = await this.trigger.record(m, tenantId, `${reason}: ${row.name}`, changeId);
      return { row, requestId };
    });
    await this.trigger.enqueue(tenantId, requestId);
    return { zoneId: row.id, changeId, zone: 'deleted' in row ? null : toZoneModel(row) };
  }

  private async names(m: EntityManager, tenantId: string): Promise<Set<string>> {
    const rows = await m.find(ComplianceZoneEntity, { select: { name: true }, where: { tenantId } });
    return new Set(rows.map((row) => row.name));
  }

  private async find(m: EntityManager, tenantId: string, id: string): Promise<ComplianceZoneEntity> {
    if (!UUID.safeParse(id).success) throw zonesError('ZONE_NOT_FOUND', { id });
    const row = await m.findOne(ComplianceZoneEntity, { where: { id, tenantId } });
    if (!row) throw zonesError('ZONE_NOT_FOUND', { id });
    return row;
  }
}
