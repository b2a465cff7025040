import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FlowActionValue, FlowModel } from '../flows/flow.model.js';
import { JsonValue } from './json.scalar.js';

export enum GraphNodeKind {
  WORKLOAD = 'workload',
  HOST = 'host',
  SERVICE = 'service',
  NETWORK = 'network',
}

registerEnumType(GraphNodeKind, {
  name: 'GraphNodeKind',
  description: 'What a service-graph node stands for.',
  valuesMap: {
    WORKLOAD: { description: "Pods of one workload (Calico's aggregated name) in a cluster and namespace." },
    HOST: { description: 'A Calico host endpoint.' },
    SERVICE: { description: 'A Kubernetes Service flows were addressed to.' },
    NETWORK: { description: "A network outside the tenant's clusters (pub, pvt, a network set)." },
  },
});

@ObjectType('ServiceGraphNode', { description: 'A node of the service graph.' })
export class ServiceGraphNode {
  @Field(() => ID, { description: 'Stable id: kind, cluster, namespace and name.' })
  id!: string;

  @Field(() => GraphNodeKind, { description: 'What the node stands for.' })
  kind!: GraphNodeKind;

  @Field(() => String, {
    nullable: true,
    description: 'Cluster name (the group); null for outside networks.',
  })
  cluster!: string | null;

  @Field({ description: 'Namespace (the subgroup); empty for global endpoints and networks.' })
  namespace!: string;

  @Field({ description: 'Workload, Service or network name.' })
  name!: string;
}

@ObjectType('ServiceGraphEdge', { description: 'Traffic from one node to another over the window.' })
export class ServiceGraphEdge {
  @Field(() => ID, { description: 'The source node.' })
  source!: string;

  @Field(() => ID, { description: 'The destination node.' })
  destination!: string;

  @Field({ description: 'True when the two ends are in different clusters.' })
  crossCluster!: boolean;

  @Field(() => Float, { description: 'Bytes, both directions.' })
  bytes!: number;

  @Field(() => Float, { description: 'Packets, both directions.' })
  packets!: number;

  @Field(() => Float, { description: 'Connections started.' })
  connections!: number;

  @Field(() => Float, { description: 'Flow records allowed.' })
  allowedFlows!: number;

  @Field(() => Float, { description: 'Flow records denied.' })
  deniedFlows!: number;

  @Field(() => [String], { description: 'Policies that acted on the traffic (`ns/name` or `name`), sorted.' })
  policies!: string[];

  @Field(() => [String], { description: 'Protocol and destination port pairs seen (`tcp/8080`), sorted.' })
  ports!: string[];
}

@ObjectType('ServiceGraph', { description: "The tenant's traffic as a graph, from the per-minute rollups." })
export class ServiceGraph {
  @Field({ description: 'Start of the window (inclusive, whole minute).' })
  from!: Date;

  @Field({ description: 'End of the window (exclusive).' })
  to!: Date;

  @Field(() => [ServiceGraphNode], {
    description: 'Nodes, grouped by cluster and namespace (sorted by them).',
  })
  nodes!: ServiceGraphNode[];

  @Field(() => [ServiceGraphEdge], { description: 'Edges, heaviest first.' })
  edges!: ServiceGraphEdge[];

  @Field({ description: 'True when the graph was cut to the edge limit (the lightest edges were left out).' })
  truncated!: boolean;
}

@InputType('ServiceGraphFilter', { description: 'Narrows the service graph; every field given must match.' })
export class ServiceGraphFilter {
  @Field({ nullable: true, description: 'Only traffic with either end in this cluster (by name).' })
  cluster?: string;

  @Field({ nullable: true, description: 'Only traffic with either end in this namespace.' })
  namespace?: string;

  @Field(() => FlowActionValue, { nullable: true, description: 'Only traffic with this verdict.' })
  action?: FlowActionValue;
}

@ObjectType('FlowRollup', { description: 'One minute of flows between two workloads, summed.' })
export class FlowRollupModel {
  @Field({ description: 'The minute.' })
  minute!: Date;

  @Field(() => String, { nullable: true, description: 'Source cluster name.' })
  sourceCluster!: string | null;

  @Field({ description: 'Source namespace.' })
  sourceNamespace!: string;

  @Field({ description: 'Source workload.' })
  sourceWorkload!: string;

  @Field(() => String, { nullable: true, description: 'Destination cluster name.' })
  destinationCluster!: string | null;

  @Field({ description: 'Destination namespace.' })
  destinationNamespace!: string;

  @Field({ description: 'Destination workload.' })
  destinationWorkload!: string;

  @Field(() => String, { nullable: true, description: 'The Service addressed (`ns/name`), if any.' })
  service!: string | null;

  @Field(() => FlowActionValue, { description: 'Verdict.' })
  action!: FlowActionValue;

  @Field({ description: 'Protocol.' })
  protocol!: string;

  @Field(() => Int, { nullable: true, description: 'Destination port.' })
  port!: number | null;

  @Field(() => Float, { description: 'Bytes, both directions.' })
  bytes!: number;

  @Field(() => Float, { description: 'Packets, both directions.' })
  packets!: number;

  @Field(() => Float, { description: 'Connections started.' })
  connections!: number;

  @Field(() => Float, { description: 'Flow records.' })
  flows!: number;

  @Field(() => [String], { description: 'Policies that acted on them, sorted.' })
  policies!: string[];
}

@ObjectType('DeniedFlowSpike', {
  description:
    'A minute in which a workload had far more denied flows than usual: at least 10, and at least 4× its average per minute over the 15 minutes before (minutes without denied flows count as 0).',
})
export class DeniedFlowSpike {
  @Field({ description: 'The minute.' })
  minute!: Date;

  @Field({ description: 'source: the workload sent the denied flows; destination: it was their target.' })
  role!: string;

  @Field(() => String, { nullable: true, description: 'Cluster of the workload.' })
  cluster!: string | null;

  @Field({ description: 'Namespace of the workload.' })
  namespace!: string;

  @Field({ description: 'The workload.' })
  workload!: string;

  @Field(() => Float, { description: 'Denied flows in the minute.' })
  deniedFlows!: number;

  @Field(() => Float, { description: 'Average denied flows per minute over the 15 minutes before.' })
  baseline!: number;
}

@ObjectType('ZoneCrossing', {
  description: 'Allowed traffic between two clusters a compliance zone separates (a violation).',
})
export class ZoneCrossing {
  @Field(() => ID, { description: 'The compliance zone.' })
  zoneId!: string;

  @Field({ description: 'Name of the zone.' })
  zone!: string;

  @Field({ description: 'Source cluster.' })
  sourceCluster!: string;

  @Field({ description: 'Destination cluster.' })
  destinationCluster!: string;

  @Field(() => Float, { description: 'Allowed flow records.' })
  flows!: number;

  @Field(() => Float, { description: 'Bytes, both directions.' })
  bytes!: number;

  @Field({ description: 'First minute seen.' })
  firstSeen!: Date;

  @Field({ description: 'Last minute seen.' })
  lastSeen!: Date;
}

@ObjectType('ThreatSignals', { description: 'Signals worth a look in a time window.' })
export class ThreatSignals {
  @Field(() => [DeniedFlowSpike], { description: 'Spikes of denied flows per workload, newest first.' })
  deniedSpikes!: DeniedFlowSpike[];

  @Field(() => [ZoneCrossing], { description: 'Allowed flows across compliance zones, most first.' })
  zoneCrossings!: ZoneCrossing[];
}

@InputType('RecommendPolicyInput', { description: 'What to recommend a policy for.' })
export class RecommendPolicyInput {
  @Field(() => ID, { description: 'The cluster.' })
  clusterId!: string;

  @Field({ description: "The namespace whose workloads' ingress the policy governs." })
  namespace!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Minutes of recorded flows to learn from, up to now; default 60, at most the retention.',
  })
  lookback?: number;
}

@ObjectType('PolicyRecommendation', { description: 'A least-privilege staged policy learnt from flows.' })
export class PolicyRecommendation {
  @Field(() => JsonValue, {
    description:
      "The policy in the policies API's CreatePolicyInput shape (NetworkPolicy, staged): pass it to createPolicy as is.",
  })
  input!: unknown;

  @Field({ description: 'Start of the flows learnt from.' })
  from!: Date;

  @Field({ description: 'End of the flows learnt from.' })
  to!: Date;

  @Field(() => Int, { description: 'Distinct kinds of allowed ingress observed.' })
  observed!: number;

  @Field(() => Int, { description: 'Ingress rules in the policy.' })
  rules!: number;

  @Field(() => Int, { description: 'Observed kinds of ingress no rule can name (no address, no labels).' })
  unattributed!: number;

  @Field({ description: 'True when more rules were needed than a policy may have (least-used left out).' })
  truncated!: boolean;
}

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
}

@ObjectType('ComplianceZoneRef', { description: 'A compliance zone as the report saw it.' })
export class ComplianceZoneRef {
  @Field(() => ID, { description: 'Zone id.' })
  id!: string;

  @Field({ description: 'Zone name.' })
  name!: string;

  @Field(() => [String], { description: 'Member clusters.' })
  members!: string[];

  @Field(() => [[String]], { description: 'Cluster pairs the zone forbids to talk.' })
  forbiddenPairs!: string[][];
}

@ObjectType('ComplianceViolation', { description: 'An allowed flow between clusters the zone separates.' })
export class ComplianceViolation {
  @Field(() => FlowModel, { description: 'The recorded flow (its policy trace is the evidence).' })
  flow!: FlowModel;

  @Field({ description: 'True when the current policy set denies such a flow (the violation is fixed).' })
  deniedNow!: boolean;

  @Field(() => [String], { description: 'How the current policy set decides it.' })
  currentTrace!: string[];
}

@ObjectType('ComplianceReport', { description: 'Flows that violated a compliance zone in a window.' })
export class ComplianceReport {
  @Field(() => ComplianceZoneRef, { description: 'The zone.' })
  zone!: ComplianceZoneRef;

  @Field({ description: 'Start of the window.' })
  from!: Date;

  @Field({ description: 'End of the window.' })
  to!: Date;

  @Field(() => Int, { description: 'Allowed flows between forbidden pairs (violations).' })
  violations!: number;

  @Field(() => Int, { description: 'Denied flows between forbidden pairs (blocked attempts).' })
  blocked!: number;

  @Field(() => [ComplianceViolation], { description: 'The violations, newest first (up to 1000).' })
  evidence!: ComplianceViolation[];

  @Field({ description: 'The evidence as CSV (header line first).' })
  csv!: string;
}
