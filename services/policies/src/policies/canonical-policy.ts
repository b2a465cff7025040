import {
  type EntityRule as CalicoEntityRule,
  type Rule as CalicoRule,
  type PolicySpec as CalicoSpec,
  DEFAULT_TIER,
  effectivePolicyTypes,
  type GlobalPolicySpec,
  type Policy,
} from '@meshplane/policy';
import { PolicyKind } from './policy.model.js';
import type { EntityRule, PolicySpec, Rule } from './policy-spec.model.js';

/** The spec as stored (jsonb): Calico's shape, both kinds' fields. */
export type StoredSpec = GlobalPolicySpec;

/** Drops nulls and undefined recursively: GraphQL's "not given" becomes Calico's "absent". */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== null && inner !== undefined) out[key] = compact(inner);
    }
    return out;
  }
  return value;
}

/** Calico's int-or-string: "80" is stored as 80; ranges and named ports stay strings. */
function intOrString(value: string | number): string | number {
  return typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : value;
}

function canonicalEntity(entity: CalicoEntityRule): CalicoEntityRule {
  const out = { ...entity };
  if (out.ports) out.ports = out.ports.map(intOrString);
  if (out.notPorts) out.notPorts = out.notPorts.map(intOrString);
  return out;
}

function canonicalRule(rule: CalicoRule): CalicoRule {
  const out = { ...rule };
  if (out.protocol !== undefined) out.protocol = intOrString(out.protocol);
  if (out.notProtocol !== undefined) out.notProtocol = intOrString(out.notProtocol);
  if (out.source) out.source = canonicalEntity(out.source);
  if (out.destination) out.destination = canonicalEntity(out.destination);
  return out;
}

/** The spec a client sent, in Calico's canonical form (not yet validated, no defaults). */
export function canonicalSpec(input: PolicySpec): StoredSpec {
  const spec = compact(input) as StoredSpec;
  return {
    ...spec,
    ...(spec.ingress ? { ingress: spec.ingress.map(canonicalRule) } : {}),
    ...(spec.egress ? { egress: spec.egress.map(canonicalRule) } : {}),
  };
}

/** The Calico resource for an identity and a canonical spec (what `validatePolicy` checks). */
export function toCalicoPolicy(
  identity: { kind: PolicyKind; name: string; namespace?: string | null },
  spec: StoredSpec,
): Policy {
  const { kind, name, namespace } = identity;
  if (kind === PolicyKind.NetworkPolicy) {
    return { kind, metadata: { name, namespace: namespace as string }, spec };
  }
  // A namespace on a global policy is kept so that validation reports it rather than dropping it.
  const metadata = namespace == null ? { name } : ({ name, namespace } as { name: string });
  return { kind: 'GlobalNetworkPolicy', metadata, spec };
}

/** Calico's defaulting, applied once the spec is valid: the `default` tier and explicit `types`. */
export function withDefaults(spec: StoredSpec): StoredSpec {
  return { ...spec, tier: spec.tier ?? DEFAULT_TIER.name, types: [...effectivePolicyTypes(spec)] };
}

function entityView(entity: CalicoEntityRule): EntityRule {
  return {
    ...entity,
    nets: entity.nets ? [...entity.nets] : undefined,
    notNets: entity.notNets ? [...entity.notNets] : undefined,
    ports: entity.ports?.map(String),
    notPorts: entity.notPorts?.map(String),
    serviceAccounts: entity.serviceAccounts
      ? {
          names: entity.serviceAccounts.names ? [...entity.serviceAccounts.names] : undefined,
          selector: entity.serviceAccounts.selector,
        }
      : undefined,
  };
}

function ruleView(rule: CalicoRule): Rule {
  return {
    ...rule,
    action: rule.action as Rule['action'],
    protocol: rule.protocol === undefined ? undefined : String(rule.protocol),
    notProtocol: rule.notProtocol === undefined ? undefined : String(rule.notProtocol),
    source: rule.source ? entityView(rule.source) : undefined,
    destination: rule.destination ? entityView(rule.destination) : undefined,
    http: rule.http
      ? {
          methods: rule.http.methods ? [...rule.http.methods] : undefined,
          paths: rule.http.paths?.map((p) => ({ ...p })),
        }
      : undefined,
  };
}

/** A stored spec as the GraphQL `PolicySpec` (ports and protocols as strings). */
export function specView(spec: StoredSpec): PolicySpec {
  return {
    ...spec,
    types: spec.types ? ([...spec.types] as PolicySpec['types']) : undefined,
    ingress: spec.ingress?.map(ruleView),
    egress: spec.egress?.map(ruleView),
  };
}

/** A validation path of the Calico resource as the path of the GraphQL input that carried it. */
export function inputPath(resourcePath: string): string {
  if (resourcePath === 'kind') return 'input.kind';
  if (resourcePath.startsWith('metadata.')) return `input.${resourcePath.slice('metadata.'.length)}`;
  return `input.${resourcePath}`;
}

export type { CalicoSpec };
