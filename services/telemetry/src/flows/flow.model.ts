import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum FlowActionValue {
  ALLOW = 'allow',
  DENY = 'deny',
  PASS = 'pass',
  LOG = 'log',
}

registerEnumType(FlowActionValue, {
  name: 'FlowAction',
  description: 'What policy did to a flow (Calico: allow, deny; pass and log in policy hits).',
});

@ObjectType('FlowLabel', { description: 'A key/value label of a flow endpoint.' })
export class FlowLabel {
  @Field({ description: 'Label key.' })
  key!: string;

  @Field({ description: 'Label value.' })
  value!: string;
}

@ObjectType('FlowEndpoint', { description: 'One end of a flow, enriched with where it lives.' })
export class FlowEndpointModel {
  @Field(() => String, {
    nullable: true,
    description: "Name of the tenant's cluster the end lives in; null for networks outside them.",
  })
  cluster!: string | null;

  @Field({ description: 'Namespace; empty for global endpoints and networks.' })
  namespace!: string;

  @Field({ description: 'Workload: the owner its pods share (Calico aggregates flows by it).' })
  workload!: string;

  @Field({ description: 'Name as reported: aggregated pod name, host endpoint, network set, pub or pvt.' })
  name!: string;

  @Field({ description: 'wep (workload), hep (host endpoint), ns (network set), net, pub or pvt.' })
  type!: string;

  @Field(() => [FlowLabel], { description: 'Labels of the endpoint.' })
  labels!: FlowLabel[];

  @Field(() => String, { nullable: true, description: 'IP address, when reported.' })
  ip!: string | null;

  @Field(() => Int, { nullable: true, description: 'Port, when reported (the destination port).' })
  port!: number | null;

  @Field(() => String, { nullable: true, description: 'Service account of the workload.' })
  serviceAccount!: string | null;
}

@ObjectType('FlowService', { description: 'The Kubernetes Service the flow was addressed to.' })
export class FlowServiceModel {
  @Field({ description: 'Namespace of the Service.' })
  namespace!: string;

  @Field({ description: 'Name of the Service.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Name of the Service port.' })
  portName!: string | null;

  @Field(() => Int, { nullable: true, description: 'Service port number.' })
  port!: number | null;
}

@ObjectType('FlowPolicyHit', { description: 'A policy rule (or tier default) that acted on the flow.' })
export class FlowPolicyHit {
  @Field({ description: 'Tier of the policy.' })
  tier!: string;

  @Field({
    description:
      "The policy's name as the policies API gives it (`Policy.name`, no tier prefix; Meshplane's compliance policy is `isolation`); for a tier default, the tier.",
  })
  name!: string;

  @Field({
    description:
      'The name Calico reported: the object in the bundle, `<tier>.<name>` outside the default tier (Calico also puts `default.` on policies of the default tier).',
  })
  calicoName!: string;

  @Field(() => String, { nullable: true, description: 'Namespace of a namespaced policy.' })
  namespace!: string | null;

  @Field(() => String, { nullable: true, description: 'Kind, e.g. GlobalNetworkPolicy or EndOfTier.' })
  kind!: string | null;

  @Field(() => FlowActionValue, { description: 'What the rule did.' })
  action!: FlowActionValue;

  @Field(() => Int, { nullable: true, description: 'Rule index in the policy; -1 for a tier default.' })
  ruleIndex!: number | null;

  @Field({ description: 'True for a staged policy: it would have acted, it did not enforce.' })
  staged!: boolean;
}

@ObjectType('Flow', { description: 'An aggregated flow reported by a cluster, enriched on both ends.' })
export class FlowModel {
  @Field(() => ID, { description: 'The cluster that reported the flow.' })
  clusterId!: string;

  @Field(() => Float, { description: "The agent's sequence number of the record (unique per cluster)." })
  seq!: number;

  @Field(() => Date, { description: 'Start of the aggregation window.' })
  startTime!: Date;

  @Field(() => Date, { description: 'End of the aggregation window.' })
  endTime!: Date;

  @Field({ description: 'Which end reported it: src or dst.' })
  reporter!: string;

  @Field(() => FlowActionValue, { description: 'Final verdict of the flow.' })
  action!: FlowActionValue;

  @Field({ description: 'L4 protocol, e.g. tcp, udp, icmp.' })
  protocol!: string;

  @Field(() => FlowEndpointModel, { description: 'The source.' })
  source!: FlowEndpointModel;

  @Field(() => FlowEndpointModel, { description: 'The destination.' })
  destination!: FlowEndpointModel;

  @Field(() => FlowServiceModel, { nullable: true, description: 'The Service addressed, if any.' })
  service!: FlowServiceModel | null;

  @Field(() => [FlowPolicyHit], { description: 'Policies that acted on the flow, in evaluation order.' })
  policies!: FlowPolicyHit[];

  @Field(() => Float, { description: 'Bytes received by the source.' })
  bytesIn!: number;

  @Field(() => Float, { description: 'Bytes sent by the source.' })
  bytesOut!: number;

  @Field(() => Float, { description: 'Packets received by the source.' })
  packetsIn!: number;

  @Field(() => Float, { description: 'Packets sent by the source.' })
  packetsOut!: number;

  @Field(() => Int, { description: 'Connections started in the window.' })
  connectionsStarted!: number;

  @Field(() => Int, { description: 'Connections completed in the window.' })
  connectionsCompleted!: number;

  @Field(() => Int, { nullable: true, description: 'Connections still open at the end of the window.' })
  connectionsLive!: number | null;
}

@ObjectType('FlowPageInfo', { description: 'Where a page of flows ends and whether more follow.' })
export class FlowPageInfo {
  @Field({ description: 'True when another page follows.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

@ObjectType('FlowConnection', { description: 'A page of flows, newest first.' })
export class FlowConnection {
  @Field(() => [FlowModel], { description: 'The flows of this page.' })
  nodes!: FlowModel[];

  @Field(() => FlowPageInfo, { description: 'Paging.' })
  pageInfo!: FlowPageInfo;
}

@InputType('FlowEdgeFilter', { description: 'One edge of the service graph, by its two node ids.' })
export class FlowEdgeFilter {
  @Field(() => ID, { description: "The edge's source node (`ServiceGraphEdge.source`)." })
  source!: string;

  @Field(() => ID, { description: "The edge's destination node (`ServiceGraphEdge.destination`)." })
  destination!: string;
}

@InputType('FlowFilter', { description: 'Narrows a flow query; every field given must match.' })
export class FlowFilter {
  @Field(() => ID, { nullable: true, description: 'Only flows reported by this cluster.' })
  clusterId?: string;

  @Field({ nullable: true, description: 'Only flows with either end in this namespace.' })
  namespace?: string;

  @Field({ nullable: true, description: 'Only flows with either end in this workload.' })
  workload?: string;

  @Field(() => FlowActionValue, { nullable: true, description: 'Only flows with this verdict.' })
  action?: FlowActionValue;

  @Field(() => Int, { nullable: true, description: 'Only flows to this destination port.' })
  port?: number;

  @Field({ nullable: true, description: 'Only flows of this protocol (tcp, udp, ...).' })
  protocol?: string;

  @Field({
    nullable: true,
    description:
      "Only flows this policy acted on: `name` for a global policy, `namespace/name` for a namespaced one, by the policy's name (`Policy.name`) or by its Calico name (`<tier>.<name>`, as `Policy.calicoName` and `FlowPolicyHit.calicoName` give it).",
  })
  policy?: string;

  @Field(() => FlowEdgeFilter, {
    nullable: true,
    description:
      'Only the flows the service graph draws on this edge: both ends as its nodes name them (a flow addressed to a Service is drawn on source → Service and Service → backend).',
  })
  edge?: FlowEdgeFilter;
}

@ObjectType('ClusterFlowTelemetry', { description: "What a cluster's agent reported of its flow buffer." })
export class ClusterFlowTelemetry {
  @Field(() => Float, {
    description:
      "Flow records the agent dropped from its full buffer (oldest first) within the tenant's retention: flows that were never stored.",
  })
  droppedFlows!: number;

  @Field(() => Date, { nullable: true, description: 'When a batch last reported dropped records.' })
  lastDropAt!: Date | null;
}

/** The part of `Cluster` this subgraph contributes (the clusters subgraph owns the rest). */
@ObjectType('Cluster', {
  description: 'A Kubernetes cluster of the tenant, joined to the mesh by its agent.',
})
@Directive('@key(fields: "id")')
export class ClusterTelemetryOwner {
  @Field(() => ID, { description: 'Cluster id.' })
  id!: string;

  @Field(() => ClusterFlowTelemetry, { description: "The cluster's flow telemetry: what its agent lost." })
  flowTelemetry!: ClusterFlowTelemetry;
}
