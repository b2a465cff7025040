import { CONFIG, parseInput, TenantDb } from '@meshplane/platform';
import type { Policy } from '@meshplane/policy';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { TelemetryConfig } from '../../config.js';
import { FlowActionValue } from '../../flows/flow.model.js';
import { flowModelOf } from '../../flows/flow-row.js';
import { TelemetrySettingsService } from '../../settings/telemetry-settings.service.js';
import {
  clusterNamespaces,
  evaluatedPolicySet,
  evaluateRecorded,
  FlowWorld,
  traceLines,
  tracePolicyNames,
} from '../shared/flow-world.js';
import { PolicySetClient } from '../shared/policy-set.client.js';
import { readFlows } from '../shared/read-flows.js';
import { clusterNames, type RecordedFlow, recordedFlowOf } from '../shared/recorded-flow.js';
import { checkedWindow } from '../shared/window.js';
import { applyChanges, ChangesSchema, generatedIdentities } from './proposed-policy-set.js';
import type { WhatIfFlow, WhatIfInput, WhatIfResult } from './what-if.model.js';
import { decidingStep, WhatIfGroups } from './what-if-groups.js';

const InputSchema = z.object({
  changes: ChangesSchema,
  first: z.int().min(1).max(1_000).nullish(),
  clusterId: z.uuid().nullish(),
  namespace: z.string().min(1).max(63).nullish(),
});

const actionOf = (allowed: boolean) => (allowed ? FlowActionValue.ALLOW : FlowActionValue.DENY);

/**
 * What-if: the tenant's current policy set (from the policies service, compliance tier included)
 * and the proposed one (the current with the changes applied) both evaluated by `libs/policy`
 * over the recorded flows of the window, each flow as its reporting cluster saw it (see
 * {@link FlowWorld}). A flow changes when the two sets' verdicts differ; comparing the two
 * evaluations, not the recorded verdict, keeps changes made since the flow out of the answer.
 */
@Injectable()
export class WhatIfService {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: TelemetrySettingsService,
    private readonly policySets: PolicySetClient,
    @Inject(CONFIG) private readonly config: TelemetryConfig,
  ) {}

  async whatIf(tenantId: string, input: WhatIfInput, now = new Date()): Promise<WhatIfResult> {
    const { changes, first, clusterId, namespace } = parseInput(
      InputSchema,
      { changes: input.changes, first: input.first, clusterId: input.clusterId, namespace: input.namespace },
      'input',
    );
    const { retentionDays } = await this.settings.get(tenantId);
    const window = checkedWindow(input, retentionDays, now);
    const set = await this.policySets.policySet(tenantId);
    const current = evaluatedPolicySet(set);
    const generated = generatedIdentities(
      set.policies.map((p, i) => ({ generated: p.generated, policy: current.policies[i] as Policy })),
    );
    const proposed = applyChanges(current, generated, changes);
    const policyNames = tracePolicyNames(set);
    const max = this.config.INSIGHT_MAX_FLOWS;
    // Scoped: flows the cluster reported, flows with an end in the namespace.
    const where: string[] = [];
    const parameters: unknown[] = [];
    if (clusterId != null) {
      parameters.push(clusterId);
      where.push(`"cluster_id" = $${parameters.length + 3}`);
    }
    if (namespace != null) {
      parameters.push(namespace);
      const p = `$${parameters.length + 3}`;
      where.push(`("src_namespace" = ${p} OR "dst_namespace" = ${p})`);
    }
    const rows = await readFlows(
      this.db,
      tenantId,
      window,
      max,
      where.length > 0 ? where.join(' AND ') : 'TRUE',
      parameters,
    );
    const truncated = rows.length > max;
    const kept = rows.slice(0, max);
    const names = clusterNames(set);
    const recorded: RecordedFlow[] = kept.map((row) => recordedFlowOf(row, names));
    const world = new FlowWorld(recorded, clusterNamespaces(set));
    const endpoints = world.endpoints();
    const before = evaluateRecorded(current, world, endpoints);
    const after = evaluateRecorded(proposed, world, endpoints);
    let skipped = 0;
    let newlyDenied = 0;
    let newlyAllowed = 0;
    const flows: WhatIfFlow[] = [];
    const groups = new WhatIfGroups();
    const limit = first ?? 100;
    kept.forEach((row, index) => {
      const old = before[index];
      const next = after[index];
      if (old === undefined || next === undefined) {
        skipped += 1;
        return;
      }
      if (old.allowed === next.allowed) return;
      if (old.allowed) newlyDenied += 1;
      else newlyAllowed += 1;
      groups.add(row.cluster_id, decidingStep(old, next, policyNames), old.allowed);
      if (flows.length < limit)
        flows.push({
          flow: flowModelOf(row),
          oldAction: actionOf(old.allowed),
          newAction: actionOf(next.allowed),
          oldTrace: traceLines(old, policyNames),
          newTrace: traceLines(next, policyNames),
        });
    });
    return {
      evaluated: kept.length - skipped,
      skipped,
      changed: newlyDenied + newlyAllowed,
      newlyDenied,
      newlyAllowed,
      truncated,
      flows,
      groups: groups.list(),
    };
  }
}
