import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FlowActionValue } from '../../flows/flow.model.js';

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
    WORKLOAD: {
      description:
        "Pods of one workload (Calico's aggregated name) in a cluster and namespace: one node, whether a flow came from its own cluster or from another cluster that saw it through a network set or by address.",
    },
    HOST: { description: 'A Calico host endpoint.' },
    SERVICE: { description: 'A Kubernetes Service flows were addressed to.' },
    NETWORK: {
      description:
        "An address outside the tenant's clusters' pods (pub, pvt, a network set of the cluster's own).",
    },
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

  @Field(() => [String], {
    description:
      'Policies that acted on the traffic, by their names as the policies API gives them (`ns/name` or `name`), sorted.',
  })
  policies!: string[];

  @Field(() => [String], { description: 'Protocol and destination port pairs seen (`tcp/8080`), sorted.' })
  ports!: string[];

  @Field(() => ServiceGraphHttpStats, {
    nullable: true,
    description:
      'HTTP figures, where node Envoys logged requests between the two workloads (drawn workload to workload, also when the flows went through a Service); null without L7 data.',
  })
  http!: ServiceGraphHttpStats | null;
}

@ObjectType('ServiceGraphHttpStats', {
  description:
    'HTTP (L7) figures of an edge over the window, from the per-minute HTTP rollups; percentiles come from merged DDSketches (within 1 %), never from averaged percentiles.',
})
export class ServiceGraphHttpStats {
  @Field(() => Float, { description: 'HTTP requests.' })
  requests!: number;

  @Field(() => Float, { description: 'Requests per second over the window.' })
  requestsPerSecond!: number;

  @Field(() => Float, { description: 'Share of requests answered 5xx (0 to 1).' })
  errorRate!: number;

  @Field(() => Float, { description: 'Requests answered 2xx.' })
  status2xx!: number;

  @Field(() => Float, { description: 'Requests answered 3xx.' })
  status3xx!: number;

  @Field(() => Float, { description: 'Requests answered 4xx.' })
  status4xx!: number;

  @Field(() => Float, { description: 'Requests answered 5xx.' })
  status5xx!: number;

  @Field(() => Float, { description: 'Requests answered 1xx, or not answered at all.' })
  other!: number;

  @Field(() => Float, { description: 'Median latency, milliseconds.' })
  latencyP50Ms!: number;

  @Field(() => Float, { description: '95th percentile latency, milliseconds.' })
  latencyP95Ms!: number;

  @Field(() => Float, { description: '99th percentile latency, milliseconds.' })
  latencyP99Ms!: number;
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

  @Field(() => [String], {
    description: 'Policies that acted on them, by their names (`ns/name` or `name`), sorted.',
  })
  policies!: string[];
}
