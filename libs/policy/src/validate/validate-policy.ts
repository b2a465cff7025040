import { effectivePolicyTypes, type Policy, type PolicyType, policyKey } from '../model/policy.js';
import { MAX_RULES_PER_DIRECTION, type Rule } from '../model/rule.js';
import { builtInTier, DEFAULT_TIER, type Tier } from '../model/tier.js';
import { checkFields } from './validate-fields.js';
import { type RuleContext, validateRule } from './validate-rule.js';
import { checkSelector } from './validate-selector.js';
import { IssueCollector, type ValidationIssue } from './validation-issue.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const POLICY_TYPES: readonly PolicyType[] = ['Ingress', 'Egress'];

/**
 * Validates a tier; paths are relative to the tier (`name`, `order`, `defaultAction`). A built-in
 * tier may leave out its order and default action, but cannot change them.
 */
export function validateTier(tier: Tier): ValidationIssue[] {
  const issues = new IssueCollector();
  if (typeof tier.name !== 'string' || tier.name.length > 63 || !DNS_LABEL.test(tier.name)) {
    issues.add('name', 'must be a lowercase DNS label (a-z, 0-9, -; at most 63 characters)');
  }
  if (tier.order !== undefined && !Number.isFinite(tier.order))
    issues.add('order', 'must be a finite number');
  if (tier.defaultAction !== undefined && tier.defaultAction !== 'Deny' && tier.defaultAction !== 'Pass') {
    issues.add('defaultAction', 'must be Deny or Pass');
  }
  const builtIn = builtInTier(tier.name);
  if (builtIn !== undefined) {
    if (tier.order !== undefined && tier.order !== builtIn.order)
      issues.add('order', `the built-in '${builtIn.name}' tier has the fixed order ${builtIn.order}`);
    if ((tier.defaultAction ?? builtIn.defaultAction) !== builtIn.defaultAction) {
      issues.add(
        'defaultAction',
        `the '${builtIn.name}' tier must have default action ${builtIn.defaultAction}`,
      );
    }
  }
  return issues.issues;
}

/** Validates one policy; paths start at the resource (`metadata.name`, `spec.ingress[3].action`). */
export function validatePolicy(policy: Policy): ValidationIssue[] {
  const issues = new IssueCollector();
  const { metadata, spec } = policy;
  if (policy.kind !== 'NetworkPolicy' && policy.kind !== 'GlobalNetworkPolicy') {
    issues.add('kind', 'must be NetworkPolicy or GlobalNetworkPolicy');
    return issues.issues;
  }
  if (
    typeof metadata?.name !== 'string' ||
    metadata.name.length > 253 ||
    !DNS_SUBDOMAIN.test(metadata.name)
  ) {
    issues.add(
      'metadata.name',
      'must be a lowercase DNS subdomain (a-z, 0-9, - and .; at most 253 characters)',
    );
  }
  if (policy.kind === 'NetworkPolicy') {
    const { namespace } = policy.metadata;
    if (typeof namespace !== 'string' || namespace.length > 63 || !DNS_LABEL.test(namespace)) {
      issues.add('metadata.namespace', 'a NetworkPolicy needs a namespace that is a lowercase DNS label');
    }
    if (spec != null && 'namespaceSelector' in spec && spec.namespaceSelector !== undefined) {
      issues.add('spec.namespaceSelector', 'only a GlobalNetworkPolicy can have a namespaceSelector');
    }
  } else if ('namespace' in metadata && metadata.namespace !== undefined) {
    issues.add('metadata.namespace', 'a GlobalNetworkPolicy is not namespaced');
  }
  if (spec === undefined || spec === null) {
    issues.add('spec', 'is required');
    return issues.issues;
  }
  if (!checkFields(issues, 'spec', spec, 'spec')) return issues.issues;
  if (spec.tier !== undefined && (typeof spec.tier !== 'string' || !DNS_LABEL.test(spec.tier))) {
    issues.add('spec.tier', 'must name a tier');
  }
  if (spec.order !== undefined && !Number.isFinite(spec.order))
    issues.add('spec.order', 'must be a finite number');
  checkSelector(issues, 'spec.selector', spec.selector);
  checkSelector(issues, 'spec.serviceAccountSelector', spec.serviceAccountSelector);
  checkSelector(issues, 'spec.clusterSelector', spec.clusterSelector);
  if (policy.kind === 'GlobalNetworkPolicy')
    checkSelector(issues, 'spec.namespaceSelector', policy.spec.namespaceSelector);
  if (spec.staged !== undefined && typeof spec.staged !== 'boolean')
    issues.add('spec.staged', 'must be true or false');
  checkTypes(issues, policy);
  const context = { global: policy.kind === 'GlobalNetworkPolicy' };
  checkRules(issues, 'spec.ingress', spec.ingress, 'ingress', context);
  checkRules(issues, 'spec.egress', spec.egress, 'egress', context);
  return issues.issues;
}

function checkTypes(issues: IssueCollector, policy: Policy): void {
  const { types } = policy.spec;
  if (types === undefined) return;
  if (types.length > 2 || new Set(types).size !== types.length) {
    issues.add('spec.types', 'lists Ingress and/or Egress, each at most once');
  }
  types.forEach((type, i) => {
    if (!POLICY_TYPES.includes(type)) issues.add(`spec.types[${i}]`, 'must be Ingress or Egress');
  });
  const effective = effectivePolicyTypes(policy.spec);
  for (const [field, type] of [
    ['ingress', 'Ingress'],
    ['egress', 'Egress'],
  ] as const) {
    if ((policy.spec[field]?.length ?? 0) > 0 && !effective.includes(type)) {
      issues.add(
        `spec.${field}`,
        `${type} rules are present but spec.types does not include ${type}, so they would never apply`,
      );
    }
  }
}

function checkRules(
  issues: IssueCollector,
  path: string,
  rules: readonly Rule[] | undefined,
  direction: 'ingress' | 'egress',
  context: RuleContext,
): void {
  if (rules === undefined) return;
  if (!Array.isArray(rules)) {
    issues.add(path, 'must be a list of rules');
    return;
  }
  if (rules.length > MAX_RULES_PER_DIRECTION) {
    issues.add(path, `has ${rules.length} rules; the limit is ${MAX_RULES_PER_DIRECTION}`);
  }
  rules.forEach((rule, i) => {
    validateRule(issues, `${path}[${i}]`, rule, direction, context);
  });
}

/**
 * Validates tiers and policies together: each on its own, plus unique names and that every
 * policy's tier exists (the `default` tier always does). Paths are prefixed `tiers[i].` and
 * `policies[i].`.
 */
export function validatePolicySet(set: {
  readonly tiers: readonly Tier[];
  readonly policies: readonly Policy[];
}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const tierNames = new Set<string>([DEFAULT_TIER.name]);
  const seenTiers = new Set<string>();
  set.tiers.forEach((tier, i) => {
    for (const issue of validateTier(tier))
      out.push({ path: `tiers[${i}].${issue.path}`, message: issue.message });
    if (seenTiers.has(tier.name))
      out.push({ path: `tiers[${i}].name`, message: `duplicate tier "${tier.name}"` });
    seenTiers.add(tier.name);
    tierNames.add(tier.name);
  });
  const seenPolicies = new Set<string>();
  set.policies.forEach((policy, i) => {
    for (const issue of validatePolicy(policy))
      out.push({ path: `policies[${i}].${issue.path}`, message: issue.message });
    const key = `${policy.kind}:${policyKey(policy)}:${policy.spec?.staged === true}`;
    if (seenPolicies.has(key)) {
      out.push({
        path: `policies[${i}].metadata.name`,
        message: `duplicate ${policy.kind} "${policyKey(policy)}"`,
      });
    }
    seenPolicies.add(key);
    const tier = policy.spec?.tier ?? DEFAULT_TIER.name;
    if (!tierNames.has(tier))
      out.push({ path: `policies[${i}].spec.tier`, message: `tier "${tier}" does not exist` });
  });
  return out;
}
