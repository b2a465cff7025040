/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Who acted: a signed-in user, an API token, or an anonymous caller (sign-up, login). */
export type AuditActorKind =
  | 'anonymous'
  | 'token'
  | 'user';

/** Narrows the audit log; all given conditions must hold. */
export type AuditEventFilter = {
  /** Only events by this API token. */
  actorTokenId?: string | number | null | undefined;
  /** Only events by this user. */
  actorUserId?: string | number | null | undefined;
  /** Only this mutation. */
  operation?: string | null | undefined;
  /** Only successes or only failures. */
  outcome?: AuditOutcome | null | undefined;
  /** Only events at or after this time. */
  since?: string | null | undefined;
  /** Only events on this target. */
  targetId?: string | number | null | undefined;
  /** Only events before this time. */
  until?: string | null | undefined;
};

/** How an audited mutation ended. */
export type AuditOutcome =
  | 'error'
  | 'ok';

/** Which other zones a zone may exchange traffic with. */
export type ComplianceIsolationInput = {
  /** Names of other existing zones of the tenant (at most 50); empty for strict isolation. */
  allowedZones: Array<string>;
};

/** Where a cluster's agent is with a config version. */
export type ConfigState =
  /** The agent applied every object of it. */
  | 'APPLIED'
  /** The agent processed it and some objects failed (see errors). */
  | 'FAILED'
  /** Not applied yet (being pushed, or the agent is offline). */
  | 'PENDING';

/** A new API token. */
export type CreateApiTokenInput = {
  /** When it stops working: in the future, at most 366 days away. */
  expiresAt: string;
  /** What it is for (1–64 characters). */
  name: string;
  /** What it may do; at most your own role. */
  role: Role;
};

/** A new compliance zone. */
export type CreateComplianceZoneInput = {
  /** Calico selector over cluster labels plus 'meshplane.io/cluster', e.g. "geo == 'eu'". */
  clusterSelector: string;
  /** Zones the new zone may exchange traffic with; omitted: none (strict isolation). */
  isolation?: ComplianceIsolationInput | null | undefined;
  /** A lowercase DNS label (at most 63 characters), unique in the tenant. */
  name: string;
};

/** Why a cluster's traffic to other clusters cannot be WireGuard-encrypted. */
export type EncryptionBlocker =
  /** Some nodes carry no 'projectcalico.org/WireguardPublicKey' annotation (WireGuard not up there). */
  | 'NODES_WITHOUT_PUBLIC_KEY'
  /** The cluster’s agent has reported no nodes (yet). */
  | 'NO_NODES_REPORTED'
  /** wireguardEnabled is not on for the cluster (mesh-wide or its own setting). */
  | 'WIREGUARD_DISABLED';

/** What policy did to a flow (Calico: allow, deny; pass and log in policy hits). */
export type FlowAction =
  | 'ALLOW'
  | 'DENY'
  | 'LOG'
  | 'PASS';

/** Invite someone to the tenant with a role. */
export type InviteMemberInput = {
  /** Their email (unique in the tenant). */
  email: string;
  /** The role they get; only owners can invite owners. */
  role: Role;
};

/** A key/value label (Kubernetes label syntax). */
export type LabelInput = {
  /** Label key, e.g. `region` or `example.com/team`. */
  key: string;
  /** Label value (at most 63 characters). */
  value: string;
};

/** Whether a member can sign in (active) or has an invitation still to accept (invited). */
export type MemberStatus =
  | 'active'
  | 'invited';

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

/** Replaces the WireGuard settings of the mesh (clusterId omitted) or of one cluster: the fields given are set, the fields omitted or null are unset (inherited from the mesh-wide setting, then Calico's default). */
export type SetEncryptionInput = {
  /** The cluster to override; omitted for the mesh-wide setting. */
  clusterId?: string | number | null | undefined;
  /** WireGuard for IPv4 traffic. */
  wireguardEnabled?: boolean | null | undefined;
  /** WireGuard for IPv6 traffic. */
  wireguardEnabledV6?: boolean | null | undefined;
  /** Also encrypt host-to-host traffic. */
  wireguardHostEncryptionEnabled?: boolean | null | undefined;
  /** Keep-alive duration such as '25s', '1m30s', '0s'. */
  wireguardKeepAlive?: string | null | undefined;
  /** IPv4 listening port, 1-65535. */
  wireguardListeningPort?: number | null | undefined;
  /** IPv6 listening port, 1-65535. */
  wireguardListeningPortV6?: number | null | undefined;
  /** IPv4 interface MTU: 0 (auto) or 68-65535. */
  wireguardMTU?: number | null | undefined;
  /** IPv6 interface MTU: 0 (auto) or 1280-65535. */
  wireguardMTUV6?: number | null | undefined;
  /** Routing rule priority, 1-32765. */
  wireguardRoutingRulePriority?: number | null | undefined;
  /** Threaded NAPI on the WireGuard interface. */
  wireguardThreadingEnabled?: boolean | null | undefined;
};

/** Changes to a compliance zone; omitted fields keep their value. The name cannot change. */
export type UpdateComplianceZoneInput = {
  /** New cluster selector. */
  clusterSelector?: string | null | undefined;
  /** New isolation. */
  isolation?: ComplianceIsolationInput | null | undefined;
};

/** Change a member's role. */
export type UpdateMemberRoleInput = {
  /** The new role. */
  role: Role;
  /** The member. */
  userId: string | number;
};

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { me: { role: Role, user: { id: string, email: string }, tenant: { id: string, name: string, slug: string } } | null };

export type MembersQueryVariables = Exact<{ [key: string]: never; }>;


export type MembersQuery = { members: Array<{ id: string, email: string, role: Role, status: MemberStatus, createdAt: string }> | null };

export type InviteMemberMutationVariables = Exact<{
  input: InviteMemberInput;
}>;


export type InviteMemberMutation = { inviteMember: { invitationToken: string, expiresAt: string, member: { id: string, email: string, role: Role, status: MemberStatus } } | null };

export type UpdateMemberRoleMutationVariables = Exact<{
  input: UpdateMemberRoleInput;
}>;


export type UpdateMemberRoleMutation = { updateMemberRole: { id: string, role: Role } | null };

export type RemoveMemberMutationVariables = Exact<{
  userId: string | number;
}>;


export type RemoveMemberMutation = { removeMember: { id: string } | null };

export type ApiTokensQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiTokensQuery = { apiTokens: Array<{ id: string, name: string, role: Role, createdByUserId: string, createdAt: string, expiresAt: string, lastUsedAt: string | null, revokedAt: string | null, active: boolean }> | null };

export type CreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type CreateApiTokenMutation = { createApiToken: { secret: string, apiToken: { id: string, name: string } } | null };

export type RevokeApiTokenMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiTokenMutation = { revokeApiToken: { id: string, revokedAt: string | null, active: boolean } | null };

export type AuditEventsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: AuditEventFilter | null | undefined;
}>;


export type AuditEventsQuery = { auditEvents: { endCursor: string | null, hasNextPage: boolean, nodes: Array<{ id: string, occurredAt: string, service: string, operation: string, actorKind: AuditActorKind, actorUserId: string | null, actorTokenId: string | null, targetType: string | null, targetId: string | null, arguments: string, outcome: AuditOutcome, errorCode: string | null }> } | null };

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

export type ComplianceZonesQueryVariables = Exact<{ [key: string]: never; }>;


export type ComplianceZonesQuery = { complianceZones: Array<{ id: string, name: string, clusterSelector: string, updatedAt: string, isolation: { allowedZones: Array<string> } }> | null };

export type CreateComplianceZoneMutationVariables = Exact<{
  input: CreateComplianceZoneInput;
}>;


export type CreateComplianceZoneMutation = { createComplianceZone: { zoneId: string } | null };

export type UpdateComplianceZoneMutationVariables = Exact<{
  id: string | number;
  input: UpdateComplianceZoneInput;
}>;


export type UpdateComplianceZoneMutation = { updateComplianceZone: { zoneId: string } | null };

export type DeleteComplianceZoneMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteComplianceZoneMutation = { deleteComplianceZone: { zoneId: string } | null };

export type ComplianceReportQueryVariables = Exact<{
  zoneId: string | number;
  from: string;
  to: string;
}>;


export type ComplianceReportQuery = { complianceReport: { from: string, to: string, violations: number, blocked: number, csv: string, zone: { id: string, name: string, members: Array<string>, forbiddenPairs: Array<Array<string>> }, evidence: Array<{ deniedNow: boolean, flow: { clusterId: string, seq: number, startTime: string, action: FlowAction, protocol: string, source: { cluster: string | null, namespace: string, workload: string }, destination: { cluster: string | null, namespace: string, workload: string, port: number | null } } }> } | null };

export type EncryptionQueryVariables = Exact<{ [key: string]: never; }>;


export type EncryptionQuery = { encryptionSettings: Array<{ clusterId: string | null, wireguardEnabled: boolean | null, wireguardEnabledV6: boolean | null, wireguardHostEncryptionEnabled: boolean | null, wireguardListeningPort: number | null, wireguardListeningPortV6: number | null, wireguardMTU: number | null, wireguardMTUV6: number | null, wireguardKeepAlive: string | null, wireguardRoutingRulePriority: number | null, wireguardThreadingEnabled: boolean | null, updatedAt: string | null }> | null, encryptionStatus: { clusters: Array<{ clusterId: string, clusterName: string, wireguardEnabled: boolean, nodeCount: number, nodesWithPublicKey: number, nodesWithoutPublicKey: Array<string>, blockers: Array<EncryptionBlocker> }>, pairs: Array<{ clusterA: string, clusterB: string, encrypted: boolean, blockers: Array<{ clusterId: string, reason: EncryptionBlocker }> }> } | null };

export type SetEncryptionMutationVariables = Exact<{
  input: SetEncryptionInput;
}>;


export type SetEncryptionMutation = { setEncryption: { changeId: string, setting: { clusterId: string | null, wireguardEnabled: boolean | null } } | null };

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
export const MembersDocument = new TypedDocumentString(`
    query Members {
  members {
    id
    email
    role
    status
    createdAt
  }
}
    `) as unknown as TypedDocumentString<MembersQuery, MembersQueryVariables>;
export const InviteMemberDocument = new TypedDocumentString(`
    mutation InviteMember($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    member {
      id
      email
      role
      status
    }
    invitationToken
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<InviteMemberMutation, InviteMemberMutationVariables>;
export const UpdateMemberRoleDocument = new TypedDocumentString(`
    mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {
  updateMemberRole(input: $input) {
    id
    role
  }
}
    `) as unknown as TypedDocumentString<UpdateMemberRoleMutation, UpdateMemberRoleMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($userId: ID!) {
  removeMember(userId: $userId) {
    id
  }
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const ApiTokensDocument = new TypedDocumentString(`
    query ApiTokens {
  apiTokens {
    id
    name
    role
    createdByUserId
    createdAt
    expiresAt
    lastUsedAt
    revokedAt
    active
  }
}
    `) as unknown as TypedDocumentString<ApiTokensQuery, ApiTokensQueryVariables>;
export const CreateApiTokenDocument = new TypedDocumentString(`
    mutation CreateApiToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    apiToken {
      id
      name
    }
    secret
  }
}
    `) as unknown as TypedDocumentString<CreateApiTokenMutation, CreateApiTokenMutationVariables>;
export const RevokeApiTokenDocument = new TypedDocumentString(`
    mutation RevokeApiToken($id: ID!) {
  revokeApiToken(id: $id) {
    id
    revokedAt
    active
  }
}
    `) as unknown as TypedDocumentString<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const AuditEventsDocument = new TypedDocumentString(`
    query AuditEvents($first: Int!, $after: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    nodes {
      id
      occurredAt
      service
      operation
      actorKind
      actorUserId
      actorTokenId
      targetType
      targetId
      arguments
      outcome
      errorCode
    }
    endCursor
    hasNextPage
  }
}
    `) as unknown as TypedDocumentString<AuditEventsQuery, AuditEventsQueryVariables>;
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
export const ComplianceZonesDocument = new TypedDocumentString(`
    query ComplianceZones {
  complianceZones {
    id
    name
    clusterSelector
    isolation {
      allowedZones
    }
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<ComplianceZonesQuery, ComplianceZonesQueryVariables>;
export const CreateComplianceZoneDocument = new TypedDocumentString(`
    mutation CreateComplianceZone($input: CreateComplianceZoneInput!) {
  createComplianceZone(input: $input) {
    zoneId
  }
}
    `) as unknown as TypedDocumentString<CreateComplianceZoneMutation, CreateComplianceZoneMutationVariables>;
export const UpdateComplianceZoneDocument = new TypedDocumentString(`
    mutation UpdateComplianceZone($id: ID!, $input: UpdateComplianceZoneInput!) {
  updateComplianceZone(id: $id, input: $input) {
    zoneId
  }
}
    `) as unknown as TypedDocumentString<UpdateComplianceZoneMutation, UpdateComplianceZoneMutationVariables>;
export const DeleteComplianceZoneDocument = new TypedDocumentString(`
    mutation DeleteComplianceZone($id: ID!) {
  deleteComplianceZone(id: $id) {
    zoneId
  }
}
    `) as unknown as TypedDocumentString<DeleteComplianceZoneMutation, DeleteComplianceZoneMutationVariables>;
export const ComplianceReportDocument = new TypedDocumentString(`
    query ComplianceReport($zoneId: ID!, $from: DateTime!, $to: DateTime!) {
  complianceReport(zoneId: $zoneId, from: $from, to: $to) {
    zone {
      id
      name
      members
      forbiddenPairs
    }
    from
    to
    violations
    blocked
    evidence {
      deniedNow
      flow {
        clusterId
        seq
        startTime
        action
        protocol
        source {
          cluster
          namespace
          workload
        }
        destination {
          cluster
          namespace
          workload
          port
        }
      }
    }
    csv
  }
}
    `) as unknown as TypedDocumentString<ComplianceReportQuery, ComplianceReportQueryVariables>;
export const EncryptionDocument = new TypedDocumentString(`
    query Encryption {
  encryptionSettings {
    clusterId
    wireguardEnabled
    wireguardEnabledV6
    wireguardHostEncryptionEnabled
    wireguardListeningPort
    wireguardListeningPortV6
    wireguardMTU
    wireguardMTUV6
    wireguardKeepAlive
    wireguardRoutingRulePriority
    wireguardThreadingEnabled
    updatedAt
  }
  encryptionStatus {
    clusters {
      clusterId
      clusterName
      wireguardEnabled
      nodeCount
      nodesWithPublicKey
      nodesWithoutPublicKey
      blockers
    }
    pairs {
      clusterA
      clusterB
      encrypted
      blockers {
        clusterId
        reason
      }
    }
  }
}
    `) as unknown as TypedDocumentString<EncryptionQuery, EncryptionQueryVariables>;
export const SetEncryptionDocument = new TypedDocumentString(`
    mutation SetEncryption($input: SetEncryptionInput!) {
  setEncryption(input: $input) {
    changeId
    setting {
      clusterId
      wireguardEnabled
    }
  }
}
    `) as unknown as TypedDocumentString<SetEncryptionMutation, SetEncryptionMutationVariables>;