import {
  COMPLIANCE_TIER_NAME,
  DEFAULT_TIER,
  type Policy,
  policyKey,
  validatePolicy,
} from '@meshplane/policy';
import { z } from 'zod';
import type { EvaluatedPolicySet } from '../shared/flow-world.js';
import { insightError } from '../shared/insight.errors.js';

export const MAX_CHANGES = 100;

const UpsertSchema = z.object({
  kind: z.enum(['NetworkPolicy', 'GlobalNetworkPolicy']),
  name: z.string().min(1).max(253),
  namespace: z.string().max(63).nullish(),
  spec: z.record(z.string(), z.unknown()),
});

const RemoveSchema = z.object({
  kind: z.enum(['NetworkPolicy', 'GlobalNetworkPolicy']),
  name: z.string().min(1).max(253),
  namespace: z.string().max(63).nullish(),
  staged: z.boolean().nullish(),
});

const ChangeSchema = z
  .object({ upsert: UpsertSchema.nullish(), remove: RemoveSchema.nullish() })
  .refine((c) => (c.upsert == null) !== (c.remove == null), {
    error: 'give exactly one of upsert or remove',
  });

export const ChangesSchema = z.array(ChangeSchema).min(1).max(MAX_CHANGES);
export type PolicySetChange = z.infer<typeof ChangeSchema>;

/** Drops nulls recursively (GraphQL's "not given" is Calico's "absent"). */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value))
      if (inner !== null && inner !== undefined) out[key] = compact(inner);
    return out;
  }
  return value;
}

/** Calico's int-or-string, as the policies API stores it: "80" → 80, ranges and names stay strings. */
function intOrString(value: unknown): unknown {
  return typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : value;
}

function canonicalRules(rules: unknown): unknown {
  if (!Array.isArray(rules)) return rules;
  return rules.map((rule) => {
    if (rule === null || typeof rule !== 'object') return rule;
    const out: Record<string, unknown> = { ...(rule as Record<string, unknown>) };
    for (const key of ['protocol', 'notProtocol'])
      if (out[key] !== undefined) out[key] = intOrString(out[key]);
    for (const side of ['source', 'destination']) {
      const entity = out[side];
      if (entity !== null && typeof entity === 'object') {
        const e: Record<string, unknown> = { ...(entity as Record<string, unknown>) };
        for (const key of ['ports', 'notPorts'])
          if (Array.isArray(e[key])) e[key] = (e[key] as unknown[]).map(intOrString);
        out[side] = e;
      }
    }
    return out;
  });
}

/** A policy in the policies API's CreatePolicyInput shape as the Calico resource the evaluator takes. */
export function policyFromInput(input: z.infer<typeof UpsertSchema>): Policy {
  const spec = compact(input.spec) as Record<string, unknown>;
  if (spec.ingress) spec.ingress = canonicalRules(spec.ingress);
  if (spec.egress) spec.egress = canonicalRules(spec.egress);
  const metadata =
    input.namespace == null ? { name: input.name } : { name: input.name, namespace: input.namespace };
  return { kind: input.kind, metadata, spec } as Policy;
}

function identity(policy: Policy): string {
  return `${policy.kind}:${policyKey(policy)}:${policy.spec?.staged === true}`;
}

/**
 * The current set with the changes applied, in order: an upsert replaces the policy of the same
 * kind, namespace, name and staged flag (or adds one), a remove takes one away. Each upserted
 * policy is validated like the policies API does (paths under `input.changes[i].upsert`);
 * Meshplane's generated compliance policies cannot be touched.
 */
export function applyChanges(
  current: EvaluatedPolicySet,
  generated: ReadonlySet<string>,
  changes: readonly PolicySetChange[],
): EvaluatedPolicySet {
  const policies = new Map(current.policies.map((policy) => [identity(policy), policy]));
  const tiers = new Set([DEFAULT_TIER.name, ...current.tiers.map((tier) => tier.name)]);
  changes.forEach((change, index) => {
    const base = `input.changes.${index}`;
    if (change.upsert) {
      const policy = policyFromInput(change.upsert);
      const issues = validatePolicy(policy);
      if (issues.length > 0) {
        const { path, message } = issues[0]!;
        const field = `${base}.upsert.${path.startsWith('metadata.') ? path.slice('metadata.'.length) : path}`;
        throw insightError('INVALID_POLICY_SET', { field }, `${field}: ${message}`);
      }
      const tier = policy.spec.tier ?? DEFAULT_TIER.name;
      if (tier === COMPLIANCE_TIER_NAME || !tiers.has(tier)) {
        const field = `${base}.upsert.spec.tier`;
        throw insightError(
          'INVALID_POLICY_SET',
          { field },
          `${field}: ${tier === COMPLIANCE_TIER_NAME ? "the compliance tier is Meshplane's own" : `tier "${tier}" does not exist`}`,
        );
      }
      if (generated.has(identity(policy))) {
        const field = `${base}.upsert.name`;
        throw insightError(
          'INVALID_POLICY_SET',
          { field },
          `${field}: a policy Meshplane generates cannot be changed`,
        );
      }
      policies.set(identity(policy), policy);
    } else if (change.remove) {
      const { kind, name, namespace, staged } = change.remove;
      const key = `${kind}:${namespace ? `${namespace}/${name}` : name}:${staged === true}`;
      if (!policies.has(key) || generated.has(key)) {
        const field = `${base}.remove`;
        throw insightError('INVALID_POLICY_SET', { field }, `${field}: the tenant has no such policy`);
      }
      policies.delete(key);
    }
  });
  return { ...current, policies: [...policies.values()] };
}

/** Identities of the generated policies of a set (as {@link applyChanges} compares them). */
export function generatedIdentities(
  policies: readonly { generated: boolean; policy: Policy }[],
): Set<string> {
  return new Set(policies.filter((p) => p.generated).map((p) => identity(p.policy)));
}
