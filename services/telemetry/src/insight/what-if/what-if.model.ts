import { JsonValue } from '@meshplane/platform';
import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { FlowActionValue, FlowModel } from '../../flows/flow.model.js';

@InputType('PolicyRefInput', { description: 'A policy by its Calico identity.' })
export class PolicyRefInput {
  @Field({ description: 'NetworkPolicy or GlobalNetworkPolicy.' })
  kind!: string;

  @Field({ description: 'Policy name.' })
  name!: string;

  @Field({ nullable: true, description: 'Namespace of a NetworkPolicy.' })
  namespace?: string;

  @Field({ nullable: true, description: 'The staged policy of that name (default: the enforced one).' })
  staged?: boolean;
}

@InputType('PolicySetChangeInput', { description: 'One proposed change: exactly one of upsert or remove.' })
export class PolicySetChangeInput {
  @Field(() => JsonValue, {
    nullable: true,
    description:
      'A policy in the CreatePolicyInput shape; replaces the policy of the same kind, namespace, name and staged flag, or adds it.',
  })
  upsert?: unknown;

  @Field(() => PolicyRefInput, { nullable: true, description: 'A policy to take away.' })
  remove?: PolicyRefInput;
}

@InputType('WhatIfInput', { description: 'A proposed policy set and the recorded flows to test it on.' })
export class WhatIfInput {
  @Field(() => [PolicySetChangeInput], {
    description: "Changes to the tenant's current policies (1 to 100).",
  })
  changes!: PolicySetChangeInput[];

  @Field({ description: 'Flows starting at or after this time.' })
  from!: Date;

  @Field({ description: 'Flows starting before this time.' })
  to!: Date;

  @Field(() => Int, { nullable: true, description: 'Changed flows to list, 1 to 1000, default 100.' })
  first?: number;

  @Field(() => ID, { nullable: true, description: 'Only flows this cluster reported.' })
  clusterId?: string;

  @Field({ nullable: true, description: 'Only flows with an end (source or destination) in this namespace.' })
  namespace?: string;
}

@ObjectType('WhatIfFlow', { description: 'A recorded flow whose verdict the proposed set changes.' })
export class WhatIfFlow {
  @Field(() => FlowModel, { description: 'The recorded flow.' })
  flow!: FlowModel;

  @Field(() => FlowActionValue, { description: 'Verdict under the current policy set.' })
  oldAction!: FlowActionValue;

  @Field(() => FlowActionValue, { description: 'Verdict under the proposed policy set.' })
  newAction!: FlowActionValue;

  @Field(() => [String], { description: 'How the current set decides it, one step per line.' })
  oldTrace!: string[];

  @Field(() => [String], { description: 'How the proposed set decides it, one step per line.' })
  newTrace!: string[];
}

@ObjectType('WhatIfGroup', {
  description: 'Changed flows of one reporting cluster whose new verdict the same trace step decides.',
})
export class WhatIfGroup {
  @Field(() => ID, { description: 'The cluster that reported the flows.' })
  clusterId!: string;

  @Field({
    description:
      "The deciding step of the side whose verdict changed, as a trace line (e.g. 'ingress: tier security: GlobalNetworkPolicy deny-db rule 0 → Deny').",
  })
  decidedBy!: string;

  @Field(() => Int, { description: 'Flows whose verdict changes.' })
  changed!: number;

  @Field(() => Int, { description: 'Of them, allowed now and denied then.' })
  newlyDenied!: number;

  @Field(() => Int, { description: 'Of them, denied now and allowed then.' })
  newlyAllowed!: number;
}

@ObjectType('WhatIfResult', { description: 'What a proposed policy set would change on recorded traffic.' })
export class WhatIfResult {
  @Field(() => Int, { description: 'Recorded flows evaluated.' })
  evaluated!: number;

  @Field(() => Int, { description: 'Flows that could not be evaluated (unknown protocol or address).' })
  skipped!: number;

  @Field(() => Int, { description: 'Flows whose verdict changes.' })
  changed!: number;

  @Field(() => Int, { description: 'Flows allowed now that would be denied.' })
  newlyDenied!: number;

  @Field(() => Int, { description: 'Flows denied now that would be allowed.' })
  newlyAllowed!: number;

  @Field({
    description: 'True when the window held more flows than one what-if reads (the newest were left out).',
  })
  truncated!: boolean;

  @Field(() => [WhatIfFlow], { description: 'The changed flows (up to `first`), oldest first.' })
  flows!: WhatIfFlow[];

  @Field(() => [WhatIfGroup], {
    description:
      'Every changed flow counted by reporting cluster and deciding policy step, largest first (at most 100).',
  })
  groups!: WhatIfGroup[];
}
