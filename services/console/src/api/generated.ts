/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where a cluster's agent is with a config version. */
export type ConfigState =
  /** The agent applied every object of it. */
  | 'APPLIED'
  /** The agent processed it and some objects failed (see errors). */
  | 'FAILED'
  /** Not applied yet (being pushed, or the agent is offline). */
  | 'PENDING';

/** What policy did to a flow (Calico: allow, deny; pass and log in policy hits). */
export type FlowAction =
  | 'ALLOW'
  | 'DENY'
  | 'LOG'
  | 'PASS';

/** One edge of the service graph, by its two node ids. */
export type FlowEdgeFilter = {
  /** The edge's destination node (`ServiceGraphEdge.destination`). */
  destination: string | number;
  /** The edge's source node (`ServiceGraphEdge.source`). */
  source: string | number;
};

/** Narrows a flow query; every field given must match. */
export type FlowFilter = {
  /** Only flows with this verdict. */
  action?: FlowAction | null | undefined;
  /** Only flows reported by this cluster. */
  clusterId?: string | number | null | undefined;
  /** Only the flows the service graph draws on this edge: both ends as its nodes name them (a flow addressed to a Service is drawn on source → Service and Service → backend). */
  edge?: FlowEdgeFilter | null | undefined;
  /** Only flows with either end in this namespace. */
  namespace?: string | null | undefined;
  /** Only flows this policy acted on: `name` for a global policy, `namespace/name` for a namespaced one, by the policy's name (`Policy.name`) or by its Calico name (`<tier>.<name>`, as `Policy.calicoName` and `FlowPolicyHit.calicoName` give it). */
  policy?: string | null | undefined;
  /** Only flows to this destination port. */
  port?: number | null | undefined;
  /** Only flows of this protocol (tcp, udp, ...). */
  protocol?: string | null | undefined;
  /** Only flows with either end in this workload. */
  workload?: string | null | undefined;
};

/** What a service-graph node stands for. */
export type GraphNodeKind =
  /** A Calico host endpoint. */
  | 'HOST'
  /** An address outside the tenant's clusters' pods (pub, pvt, a network set of the cluster's own). */
  | 'NETWORK'
  /** A Kubernetes Service flows were addressed to. */
  | 'SERVICE'
  /** Pods of one workload (Calico's aggregated name) in a cluster and namespace: one node, whether a flow came from its own cluster or from another cluster that saw it through a network set or by address. */
  | 'WORKLOAD';

/** A key/value label (Kubernetes label syntax). */
export type LabelInput = {
  /** Label key, e.g. `region` or `example.com/team`. */
  key: string;
  /** Label value (at most 63 characters). */
  value: string;
};

/** A cluster to add to the mesh. */
export type RegisterClusterInput = {
  /** Cluster labels (`region`, `geo`, `env`, ...). */
  labels?: Array<LabelInput>;
  /** DNS label, unique in the tenant (e.g. `eu-west-1`). */
  name: string;
};

/** What a member may do: viewers read, editors change clusters and policies, admins manage members and tokens, owners everything. */
export type Role =
  | 'admin'
  | 'editor'
  | 'owner'
  | 'viewer';

/** Narrows the service graph; every field given must match. */
export type ServiceGraphFilter = {
  /** Only traffic with this verdict. */
  action?: FlowAction | null | undefined;
  /** Only traffic with either end in this cluster (by name). */
  cluster?: string | null | undefined;
  /** Only traffic with either end in this namespace. */
  namespace?: string | null | undefined;
};

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { me: { role: Role, user: { id: string, email: string }, tenant: { id: string, name: string, slug: string } } | null };

export type ClustersQueryVariables = Exact<{ [key: string]: never; }>;


export type ClustersQuery = { clusters: Array<{ id: string, name: string, createdAt: string, revokedAt: string | null, labels: Array<{ key: string, value: string }>, status: { connected: boolean, lastSeenAt: string | null, agentVersion: string | null, kubernetesVersion: string | null, nodeCount: number | null, errors: Array<string> }, config: { desiredVersion: number, appliedVersion: number, state: ConfigState, errors: Array<{ kind: string, namespace: string | null, name: string, message: string }> } }> | null };

export type RegisterClusterMutationVariables = Exact<{
  input: RegisterClusterInput;
}>;


export type RegisterClusterMutation = { registerCluster: { installCommand: string, cluster: { id: string, name: string } } | null };

export type RevokeClusterMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeClusterMutation = { revokeCluster: { id: string, revokedAt: string | null } | null };

export type FlowsQueryVariables = Exact<{
  filter?: FlowFilter | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FlowsQuery = { flows: { nodes: Array<{ clusterId: string, seq: number, startTime: string, endTime: string, reporter: string, action: FlowAction, protocol: string, bytesIn: number, bytesOut: number, packetsIn: number, packetsOut: number, connectionsStarted: number, source: { cluster: string | null, namespace: string, workload: string, name: string, type: string, ip: string | null, port: number | null, serviceAccount: string | null, labels: Array<{ key: string, value: string }> }, destination: { cluster: string | null, namespace: string, workload: string, name: string, type: string, ip: string | null, port: number | null, serviceAccount: string | null, labels: Array<{ key: string, value: string }> }, service: { namespace: string, name: string, portName: string | null, port: number | null } | null, policies: Array<{ tier: string, name: string, namespace: string | null, kind: string | null, action: FlowAction, ruleIndex: number | null, staged: boolean }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type FlowEndFragment = { cluster: string | null, namespace: string, workload: string, name: string, type: string, ip: string | null, port: number | null, serviceAccount: string | null, labels: Array<{ key: string, value: string }> };

export type FlowClustersQueryVariables = Exact<{ [key: string]: never; }>;


export type FlowClustersQuery = { clusters: Array<{ id: string, name: string }> | null };

export type ServiceGraphQueryVariables = Exact<{
  from: string;
  to: string;
  filter?: ServiceGraphFilter | null | undefined;
}>;


export type ServiceGraphQuery = { serviceGraph: { from: string, to: string, truncated: boolean, nodes: Array<{ id: string, kind: GraphNodeKind, cluster: string | null, namespace: string, name: string }>, edges: Array<{ source: string, destination: string, crossCluster: boolean, bytes: number, packets: number, connections: number, allowedFlows: number, deniedFlows: number, policies: Array<string>, ports: Array<string> }> } | null, threatSignals: { deniedSpikes: Array<{ minute: string, role: string, cluster: string | null, namespace: string, workload: string, deniedFlows: number, baseline: number }>, zoneCrossings: Array<{ zoneId: string, zone: string, sourceCluster: string, destinationCluster: string, flows: number, bytes: number }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const FlowEndFragmentDoc = new TypedDocumentString(`
    fragment FlowEnd on FlowEndpoint {
  cluster
  namespace
  workload
  name
  type
  ip
  port
  serviceAccount
  labels {
    key
    value
  }
}
    `, {"fragmentName":"FlowEnd"}) as unknown as TypedDocumentString<FlowEndFragment, unknown>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  me {
    role
    user {
      id
      email
    }
    tenant {
      id
      name
      slug
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const ClustersDocument = new TypedDocumentString(`
    query Clusters {
  clusters {
    id
    name
    createdAt
    revokedAt
    labels {
      key
      value
    }
    status {
      connected
      lastSeenAt
      agentVersion
      kubernetesVersion
      nodeCount
      errors
    }
    config {
      desiredVersion
      appliedVersion
      state
      errors {
        kind
        namespace
        name
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ClustersQuery, ClustersQueryVariables>;
export const RegisterClusterDocument = new TypedDocumentString(`
    mutation RegisterCluster($input: RegisterClusterInput!) {
  registerCluster(input: $input) {
    cluster {
      id
      name
    }
    installCommand
  }
}
    `) as unknown as TypedDocumentString<RegisterClusterMutation, RegisterClusterMutationVariables>;
export const RevokeClusterDocument = new TypedDocumentString(`
    mutation RevokeCluster($id: ID!) {
  revokeCluster(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeClusterMutation, RevokeClusterMutationVariables>;
export const FlowsDocument = new TypedDocumentString(`
    query Flows($filter: FlowFilter, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  flows(filter: $filter, from: $from, to: $to, first: $first, after: $after) {
    nodes {
      clusterId
      seq
      startTime
      endTime
      reporter
      action
      protocol
      source {
        ...FlowEnd
      }
      destination {
        ...FlowEnd
      }
      service {
        namespace
        name
        portName
        port
      }
      policies {
        tier
        name
        namespace
        kind
        action
        ruleIndex
        staged
      }
      bytesIn
      bytesOut
      packetsIn
      packetsOut
      connectionsStarted
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment FlowEnd on FlowEndpoint {
  cluster
  namespace
  workload
  name
  type
  ip
  port
  serviceAccount
  labels {
    key
    value
  }
}`) as unknown as TypedDocumentString<FlowsQuery, FlowsQueryVariables>;
export const FlowClustersDocument = new TypedDocumentString(`
    query FlowClusters {
  clusters {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<FlowClustersQuery, FlowClustersQueryVariables>;
export const ServiceGraphDocument = new TypedDocumentString(`
    query ServiceGraph($from: DateTime!, $to: DateTime!, $filter: ServiceGraphFilter) {
  serviceGraph(from: $from, to: $to, filter: $filter) {
    from
    to
    truncated
    nodes {
      id
      kind
      cluster
      namespace
      name
    }
    edges {
      source
      destination
      crossCluster
      bytes
      packets
      connections
      allowedFlows
      deniedFlows
      policies
      ports
    }
  }
  threatSignals(from: $from, to: $to) {
    deniedSpikes {
      minute
      role
      cluster
      namespace
      workload
      deniedFlows
      baseline
    }
    zoneCrossings {
      zoneId
      zone
      sourceCluster
      destinationCluster
      flows
      bytes
    }
  }
}
    `) as unknown as TypedDocumentString<ServiceGraphQuery, ServiceGraphQueryVariables>;