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