import type { Port } from './port.js';
import type { Protocol } from './protocol.js';

export type RuleAction = 'Allow' | 'Deny' | 'Log' | 'Pass';

export const RULE_ACTIONS: readonly RuleAction[] = ['Allow', 'Deny', 'Log', 'Pass'];

/** An IP family, as Calico's rule `ipVersion` names it. */
export type IpVersion = 4 | 6;

export const IP_VERSIONS: readonly IpVersion[] = [4, 6];

/** ICMP type (0-254) and optional code (0-255; needs a type). */
export interface IcmpMatch {
  readonly type?: number;
  readonly code?: number;
}

/** Pods running as a service account whose name is listed and/or whose labels match the selector. */
export interface ServiceAccountMatch {
  readonly names?: readonly string[];
  readonly selector?: string;
}

/** A Kubernetes Service; `namespace` defaults to the policy's namespace. */
export interface ServiceMatch {
  readonly name: string;
  readonly namespace?: string;
}

/** Match criteria for one end of the traffic (Calico's `EntityRule`). All given fields must match. */
export interface EntityRule {
  readonly nets?: readonly string[];
  readonly notNets?: readonly string[];
  readonly selector?: string;
  readonly notSelector?: string;
  readonly namespaceSelector?: string;
  readonly ports?: readonly Port[];
  readonly notPorts?: readonly Port[];
  readonly serviceAccounts?: ServiceAccountMatch;
  readonly services?: ServiceMatch;
}

export interface HttpPathMatch {
  readonly exact?: string;
  readonly prefix?: string;
}

/** Layer-7 match, only on Allow rules. Methods and paths are each OR'ed. */
export interface HttpMatch {
  readonly methods?: readonly string[];
  readonly paths?: readonly HttpPathMatch[];
}

/** One rule of a policy: match criteria and the action taken when they all match. */
export interface Rule {
  readonly action: RuleAction;
  /** Only traffic of this IP family matches (Calico's `ipVersion`); the rule's CIDRs must be of it. */
  readonly ipVersion?: IpVersion;
  readonly protocol?: Protocol;
  readonly notProtocol?: Protocol;
  readonly icmp?: IcmpMatch;
  readonly notICMP?: IcmpMatch;
  readonly source?: EntityRule;
  readonly destination?: EntityRule;
  readonly http?: HttpMatch;
  readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> };
}

/** Calico's limit on rules per direction. */
export const MAX_RULES_PER_DIRECTION = 1024;
