import { parseInput, TenantDb } from '@meshplane/platform';
import { type Policy, validatePolicy } from '@meshplane/policy';
import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { TelemetrySettingsService } from '../../settings/telemetry-settings.service.js';
import { insightError } from '../shared/insight.errors.js';
import { PolicySetClient } from '../shared/policy-set.client.js';
import { type ObservedIngress, recommendPolicy } from './recommend.js';
import type { PolicyRecommendation, RecommendPolicyInput } from './recommendations.model.js';

/** Most distinct kinds of ingress one recommendation reads. */
const MAX_OBSERVED = 20_000;

const InputSchema = z.object({
  clusterId: z.string(),
  namespace: z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a namespace name (a lowercase DNS label)'),
  workload: z.string().min(1).max(253).nullish(),
  lookback: z
    .int()
    .min(1)
    .max(400 * 1_440)
    .nullish(),
});

interface ObservedRow {
  src_cluster: string | null;
  src_namespace: string;
  src_type: string;
  src_labels: Record<string, string>;
  src_ip: string | null;
  dst_labels: Record<string, string>;
  protocol: string;
  dst_port: number | null;
  flows: number;
}

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly db: TenantDb,
    private readonly settings: TelemetrySettingsService,
    private readonly policySets: PolicySetClient,
  ) {}

  /**
   * A staged policy allowing exactly the ingress into `namespace` of the cluster that was
   * recorded as allowed in the last `lookback` minutes — whichever cluster reported it (the
   * destination's own, or the source's for cross-cluster flows, however the source cluster saw
   * the pod: through Meshplane's network set or as an address the enricher resolved; a flow
   * whose destination is in the cluster and namespace is into a pod unless it is a host
   * endpoint). With a `workload`, only the ingress into that workload's pods, and the policy
   * selects them (BAD_USER_INPUT when none was recorded, or its pods share no stable label).
   * See {@link recommendPolicy}.
   */
  async recommend(
    tenantId: string,
    input: RecommendPolicyInput,
    now = new Date(),
  ): Promise<PolicyRecommendation> {
    const parsed = parseInput(InputSchema, input, 'input');
    const set = await this.policySets.policySet(tenantId);
    const cluster = set.clusters.find((c) => c.id === parsed.clusterId);
    if (cluster === undefined) throw insightError('CLUSTER_NOT_FOUND', { field: 'input.clusterId' });
    const { retentionDays } = await this.settings.get(tenantId);
    const lookback = Math.min(parsed.lookback ?? 60, retentionDays * 1_440);
    const from = new Date(now.getTime() - lookback * 60_000);
    const rows: ObservedRow[] = await this.db.tenant(tenantId, (m) =>
      m.query(
        `SELECT "src_cluster", "src_namespace", "src_type", "src_labels",
                CASE WHEN "src_cluster" IS NULL THEN host("src_ip") END AS "src_ip",
                "dst_labels", "protocol", "dst_port", count(*)::int AS "flows"
         FROM "telemetry"."flows"
         WHERE "tenant_id" = $1 AND "start_time" >= $2 AND "start_time" < $3 AND "action" = 'allow'
           AND "dst_cluster" = $4 AND "dst_namespace" = $5 AND "dst_type" <> 'hep'
           AND ($6::text IS NULL OR "dst_workload" = $6)
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
         ORDER BY "flows" DESC
         LIMIT ${MAX_OBSERVED}`,
        [tenantId, from, now, cluster.name, parsed.namespace, parsed.workload ?? null],
      ),
    );
    const observed: ObservedIngress[] = rows.map((row) => ({
      srcCluster: row.src_cluster,
      srcNamespace: row.src_namespace,
      srcType: row.src_type,
      srcLabels: row.src_labels,
      srcIp: row.src_ip,
      dstLabels: row.dst_labels,
      protocol: row.protocol,
      port: row.dst_port,
      flows: row.flows,
    }));
    const workload = parsed.workload ?? undefined;
    const recommendation = recommendPolicy(cluster.name, parsed.namespace, observed, workload);
    if (recommendation === undefined)
      throw insightError(
        'INVALID_INPUT',
        { field: 'input.workload' },
        observed.length === 0
          ? `no allowed ingress into workload "${workload}" of namespace "${parsed.namespace}" was recorded in the last ${lookback} minutes`
          : `the pods of workload "${workload}" share no stable label to select them by`,
      );
    const { input: policy } = recommendation;
    const issues = validatePolicy({
      kind: policy.kind,
      metadata: { name: policy.name, namespace: policy.namespace },
      spec: {
        ...policy.spec,
        ingress: policy.spec.ingress.map((rule) => ({
          ...rule,
          ...(rule.destination.ports
            ? { destination: { ...rule.destination, ports: rule.destination.ports.map(Number) } }
            : {}),
        })),
      },
    } as Policy);
    if (issues.length > 0)
      throw new Error(`recommended policy is invalid: ${issues[0]!.path}: ${issues[0]!.message}`);
    return {
      input: policy,
      from,
      to: now,
      observed: observed.length,
      rules: policy.spec.ingress.length,
      unattributed: recommendation.unattributed,
      truncated: recommendation.truncated || rows.length >= MAX_OBSERVED,
    };
  }
}
