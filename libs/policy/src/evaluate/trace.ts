import type { PolicyType } from '../model/policy.js';
import type { RuleAction } from '../model/rule.js';
import type { TierDefaultAction } from '../model/tier.js';

/** A final verdict for one side of a flow. */
export type Verdict = 'Allow' | 'Deny';

/** One step of how a verdict was reached, in evaluation order. */
export type TraceStep =
  /** A rule matched. Log steps continue, Pass steps skip to the next tier, Allow/Deny decide. */
  | {
      readonly kind: 'rule';
      readonly tier: string;
      readonly policy: string;
      readonly policyKind: 'NetworkPolicy' | 'GlobalNetworkPolicy';
      readonly staged: boolean;
      readonly ruleIndex: number;
      readonly action: RuleAction;
    }
  /** A tier applied but none of its rules decided: its default action. */
  | { readonly kind: 'tier-default'; readonly tier: string; readonly action: TierDefaultAction }
  /** No tier has a policy for this endpoint and direction: pods are allowed, host endpoints denied. */
  | { readonly kind: 'no-tier-applies'; readonly action: Verdict }
  /** Every applicable tier passed: the Kubernetes profile allows pods; host endpoints are denied. */
  | { readonly kind: 'end-of-tiers'; readonly action: Verdict };

/** The verdict of one endpoint for one direction, with the trace that decided it. */
export interface SideVerdict {
  readonly endpoint: string;
  readonly direction: PolicyType;
  readonly action: Verdict;
  readonly trace: readonly TraceStep[];
}

export interface Verdicts {
  /** True when neither side denies. */
  readonly allowed: boolean;
  /** The source's egress; absent when the source is not an endpoint with policies (external, network set). */
  readonly egress?: SideVerdict;
  /** The destination's ingress; absent when the destination is not an endpoint with policies. */
  readonly ingress?: SideVerdict;
}

/** The enforced verdicts, and the verdicts as they would be if staged policies were enforced. */
export interface FlowVerdict extends Verdicts {
  readonly staged: Verdicts;
}

/** One line per step, for logs and what-if reports. */
export function formatTrace(steps: readonly TraceStep[]): string[] {
  return steps.map(formatStep);
}

function formatStep(step: TraceStep): string {
  switch (step.kind) {
    case 'rule':
      return `tier ${step.tier}: ${step.staged ? 'staged ' : ''}${step.policyKind} ${step.policy} rule ${step.ruleIndex} → ${step.action}`;
    case 'tier-default':
      return `tier ${step.tier}: no rule decided → tier default ${step.action}`;
    case 'no-tier-applies':
      return `no tier applies → ${step.action}`;
    case 'end-of-tiers':
      return `passed by every tier → profile ${step.action}`;
  }
}
