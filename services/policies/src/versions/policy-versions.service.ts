import { randomUUID } from 'node:crypto';
import { type AuthenticatedIdentity, TenantDb } from '@meshplane/platform';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { specView } from '../policies/canonical-policy.js';
import { policiesError } from '../policies/policies.errors.js';
import type { PolicyEntity } from '../policies/policy.entity.js';
import {
  DiffOperation,
  type PolicyChangeKind,
  type PolicyDiff,
  PolicyKind,
  type PolicyVersion,
} from '../policies/policy.model.js';
import { jsonDiff } from './json-diff.js';
import { PolicyVersionEntity } from './policy-version.entity.js';

const UUID = z.uuid();

function toVersionModel(row: PolicyVersionEntity): PolicyVersion {
  return {
    version: row.version,
    changeId: row.changeId,
    change: row.change as PolicyChangeKind,
    restoredVersion: row.restoredVersion,
    kind: row.kind as PolicyKind,
    name: row.name,
    namespace: row.namespace === '' ? null : row.namespace,
    spec: specView(row.spec),
    authorUserId: row.authorUserId,
    authorTokenId: row.authorTokenId,
    createdAt: row.createdAt,
  };
}

/** The Calico resource a version describes, or undefined when the version is a deletion. */
function versionDocument(row: PolicyVersionEntity): unknown {
  if (row.change === 'Deleted') return undefined;
  const metadata =
    row.kind === PolicyKind.NetworkPolicy ? { name: row.name, namespace: row.namespace } : { name: row.name };
  return { kind: row.kind, metadata, spec: row.spec };
}

/** Writes and reads the immutable version log of policies. */
@Injectable()
export class PolicyVersionsService {
  constructor(private readonly db: TenantDb) {}

  /**
   * Appends the version a change produced (inside the change's transaction). A change set passes
   * its one `changeId` for every policy it touches; otherwise each version gets its own.
   */
  async record(
    m: EntityManager,
    policy: PolicyEntity,
    change: PolicyChangeKind,
    author: AuthenticatedIdentity,
    restoredVersion: number | null = null,
    changeId: string = randomUUID(),
  ): Promise<PolicyVersionEntity> {
    return m.save(
      m.create(PolicyVersionEntity, {
        tenantId: policy.tenantId,
        policyId: policy.id,
        version: policy.version,
        changeId,
        change,
        restoredVersion,
        kind: policy.kind,
        namespace: policy.namespace,
        name: policy.name,
        spec: policy.spec,
        authorUserId: author.userId,
        authorTokenId: author.tokenId ?? null,
      }),
    );
  }

  /** The latest version of a policy (also of a deleted one), or undefined when it never existed. */
  latest(m: EntityManager, tenantId: string, policyId: string): Promise<PolicyVersionEntity | null> {
    return m.findOne(PolicyVersionEntity, { where: { tenantId, policyId }, order: { version: 'DESC' } });
  }

  async find(m: EntityManager, tenantId: string, policyId: string, version: number, field: string) {
    const row = await m.findOne(PolicyVersionEntity, { where: { tenantId, policyId, version } });
    if (!row) throw policiesError('VERSION_NOT_FOUND', { field, version });
    return row;
  }

  /** Every version of a policy, newest first; NOT_FOUND when the policy never existed. */
  async history(tenantId: string, policyId: string): Promise<PolicyVersion[]> {
    if (!UUID.safeParse(policyId).success) throw policiesError('POLICY_NOT_FOUND', { id: policyId });
    const rows = await this.db.tenant(tenantId, (m) =>
      m.find(PolicyVersionEntity, { where: { tenantId, policyId }, order: { version: 'DESC' } }),
    );
    if (rows.length === 0) throw policiesError('POLICY_NOT_FOUND', { id: policyId });
    return rows.map(toVersionModel);
  }

  /** What changed from version `from` to version `to` (either may be the later one). */
  async diff(tenantId: string, policyId: string, from: number, to: number): Promise<PolicyDiff> {
    if (!UUID.safeParse(policyId).success) throw policiesError('POLICY_NOT_FOUND', { id: policyId });
    const [before, after] = await this.db.tenant(tenantId, async (m) => {
      if (!(await this.latest(m, tenantId, policyId)))
        throw policiesError('POLICY_NOT_FOUND', { id: policyId });
      return [
        await this.find(m, tenantId, policyId, from, 'from'),
        await this.find(m, tenantId, policyId, to, 'to'),
      ];
    });
    const changes = jsonDiff(versionDocument(before), versionDocument(after)).map((c) => ({
      op: c.op as DiffOperation,
      path: c.path,
      before: c.before === undefined ? null : JSON.stringify(c.before),
      after: c.after === undefined ? null : JSON.stringify(c.after),
    }));
    return { policyId, from, to, changes };
  }
}

export { DiffOperation };
