import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

/**
 * Calico's `projectcalico.org/v3` policy spec as GraphQL types. Each class is both the output
 * type (`Rule`) and the input type (`RuleInput`) so that what a client sends and what it reads
 * back have the same shape. Ports and protocols, which Calico writes as int-or-string, are
 * strings here ("80", "1000:2000", "http"; "TCP", "17").
 */

export enum RuleAction {
  Allow = 'Allow',
  Deny = 'Deny',
  Log = 'Log',
  Pass = 'Pass',
}
registerEnumType(RuleAction, {
  name: 'RuleAction',
  description: 'What a rule does with traffic it matches.',
  valuesMap: {
    Allow: { description: 'Allow the traffic; evaluation ends.' },
    Deny: { description: 'Drop the traffic; evaluation ends.' },
    Log: { description: 'Log the traffic and go on with the next rule.' },
    Pass: { description: 'Skip the rest of the tier and go on with the next tier that applies.' },
  },
});

export enum PolicyType {
  Ingress = 'Ingress',
  Egress = 'Egress',
}
registerEnumType(PolicyType, {
  name: 'PolicyType',
  description: 'A direction of traffic a policy governs.',
  valuesMap: {
    Ingress: { description: 'Traffic into the selected endpoints.' },
    Egress: { description: 'Traffic out of the selected endpoints.' },
  },
});

@ObjectType('IcmpMatch', { description: 'An ICMP type and code match.' })
@InputType('IcmpMatchInput', { description: 'An ICMP type and code match.' })
export class IcmpMatch {
  @Field(() => Int, { nullable: true, description: 'ICMP type, 0-254.' })
  type?: number | null;

  @Field(() => Int, { nullable: true, description: 'ICMP code, 0-255; needs a type.' })
  code?: number | null;
}

@ObjectType('ServiceAccountMatch', { description: 'Pods running as matching service accounts.' })
@InputType('ServiceAccountMatchInput', { description: 'Pods running as matching service accounts.' })
export class ServiceAccountMatch {
  @Field(() => [String], { nullable: true, description: 'Service account names (any of them).' })
  names?: string[] | null;

  @Field(() => String, { nullable: true, description: "Selector over the service accounts' labels." })
  selector?: string | null;
}

@ObjectType('ServiceMatch', {
  description: 'A Kubernetes Service (its endpoints, or its cluster IP and ports).',
})
@InputType('ServiceMatchInput', { description: 'A Kubernetes Service.' })
export class ServiceMatch {
  @Field({ description: 'Service name.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "Service namespace; defaults to the policy's namespace.",
  })
  namespace?: string | null;
}

@ObjectType('EntityRule', {
  description: "One end of the traffic a rule matches (Calico's EntityRule); every given field must match.",
})
@InputType('EntityRuleInput', { description: "One end of the traffic a rule matches (Calico's EntityRule)." })
export class EntityRule {
  @Field(() => [String], { nullable: true, description: 'CIDRs the peer must be in (any of them).' })
  nets?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'CIDRs the peer must not be in.' })
  notNets?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Selector over endpoint labels, 'meshplane.io/cluster' included (workloads of other clusters).",
  })
  selector?: string | null;

  @Field(() => String, { nullable: true, description: 'Endpoints matching this selector are excluded.' })
  notSelector?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Selector over namespace labels; 'global()' selects non-namespaced entities.",
  })
  namespaceSelector?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Ports: numbers ("80"), ranges ("1000:2000") or named ports ("http"); need protocol TCP, UDP or SCTP.',
  })
  ports?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Ports that must not match (same forms as ports).' })
  notPorts?: string[] | null;

  @Field(() => ServiceAccountMatch, { nullable: true, description: "The peer's service account." })
  serviceAccounts?: ServiceAccountMatch | null;

  @Field(() => ServiceMatch, {
    nullable: true,
    description: 'A Kubernetes Service; excludes every other peer field.',
  })
  services?: ServiceMatch | null;
}

@ObjectType('HttpPathMatch', { description: 'An HTTP path match: exactly one of exact or prefix.' })
@InputType('HttpPathMatchInput', { description: 'An HTTP path match: exactly one of exact or prefix.' })
export class HttpPathMatch {
  @Field(() => String, { nullable: true, description: 'The path, exactly.' })
  exact?: string | null;

  @Field(() => String, { nullable: true, description: 'A prefix of the path.' })
  prefix?: string | null;
}

@ObjectType('HttpMatch', {
  description: 'Layer-7 HTTP match (Allow rules only); methods and paths are each OR-ed.',
})
@InputType('HttpMatchInput', { description: 'Layer-7 HTTP match (Allow rules only).' })
export class HttpMatch {
  @Field(() => [String], { nullable: true, description: 'HTTP methods (GET, POST, ...).' })
  methods?: string[] | null;

  @Field(() => [HttpPathMatch], { nullable: true, description: 'Paths.' })
  paths?: HttpPathMatch[] | null;
}

@ObjectType('Rule', { description: 'One rule of a policy: what it matches and what it does then.' })
@InputType('RuleInput', { description: 'One rule of a policy.' })
export class Rule {
  @Field(() => RuleAction, { description: 'What the rule does with matching traffic.' })
  action!: RuleAction;

  @Field(() => String, {
    nullable: true,
    description: 'TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 1-255.',
  })
  protocol?: string | null;

  @Field(() => String, { nullable: true, description: 'A protocol the traffic must not have.' })
  notProtocol?: string | null;

  @Field(() => IcmpMatch, { nullable: true, description: 'ICMP match; needs protocol ICMP or ICMPv6.' })
  icmp?: IcmpMatch | null;

  @Field(() => IcmpMatch, { nullable: true, description: 'ICMP types/codes that must not match.' })
  notICMP?: IcmpMatch | null;

  @Field(() => EntityRule, { nullable: true, description: 'Where the traffic comes from.' })
  source?: EntityRule | null;

  @Field(() => EntityRule, { nullable: true, description: 'Where the traffic goes.' })
  destination?: EntityRule | null;

  @Field(() => HttpMatch, { nullable: true, description: 'HTTP match (Allow rules only).' })
  http?: HttpMatch | null;
}

@ObjectType('PolicySpec', {
  description: "A Calico NetworkPolicy/GlobalNetworkPolicy spec plus Meshplane's clusterSelector and staged.",
})
@InputType('PolicySpecInput', {
  description: "A Calico NetworkPolicy/GlobalNetworkPolicy spec plus Meshplane's clusterSelector and staged.",
})
export class PolicySpec {
  @Field(() => String, { nullable: true, description: "The tier the policy belongs to; default 'default'." })
  tier?: string | null;

  @Field(() => Float, { nullable: true, description: 'Order inside the tier, lower first; none means last.' })
  order?: number | null;

  @Field(() => String, { nullable: true, description: 'Endpoints the policy applies to; empty means all.' })
  selector?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "GlobalNetworkPolicy only: endpoints whose namespace's labels match.",
  })
  namespaceSelector?: string | null;

  @Field(() => String, { nullable: true, description: 'Endpoints whose service account labels match.' })
  serviceAccountSelector?: string | null;

  @Field(() => [PolicyType], {
    nullable: true,
    description: 'Directions governed; defaulted from the rules present (Calico rules) when omitted.',
  })
  types?: PolicyType[] | null;

  @Field(() => [Rule], { nullable: true, description: 'Ingress rules, in order (at most 1024).' })
  ingress?: Rule[] | null;

  @Field(() => [Rule], { nullable: true, description: 'Egress rules, in order (at most 1024).' })
  egress?: Rule[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Which clusters receive the policy: a selector over cluster labels and 'meshplane.io/cluster'; empty means all.",
  })
  clusterSelector?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Staged policies are evaluated and reported, never enforced.',
  })
  staged?: boolean | null;
}
