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

/** A new policy: a Calico resource identity and its spec. */
export type CreatePolicyInput = {
  /** NetworkPolicy (give a namespace) or GlobalNetworkPolicy. */
  kind: PolicyKind;
  /** A lowercase DNS subdomain, unique per kind, namespace and staged flag, not starting with the tier's name and a dot (Calico's object gets that prefix). */
  name: string;
  /** Namespace of a NetworkPolicy (required there, refused otherwise). */
  namespace?: string | null | undefined;
  /** The spec. */
  spec: PolicySpecInput;
};

/** A new tier. */
export type CreateTierInput = {
  /** Default Deny. */
  defaultAction?: TierDefaultAction | null | undefined;
  /** A lowercase DNS label, unique in the tenant. 'default', 'kube-admin', 'kube-baseline' and 'meshplane-compliance' are reserved. */
  name: string;
  /** Evaluation order, lower first; omitted means last. Must be greater than 0: Meshplane's 'meshplane-compliance' tier (order 0) comes before every tenant tier. */
  order?: number | null | undefined;
};

/** How a value differs between two versions. */
export type DiffOperation =
  /** Present only in the later version. */
  | 'Add'
  /** Present only in the earlier version. */
  | 'Remove'
  /** Present in both, with different values. */
  | 'Replace';

/** Why a cluster's traffic to other clusters cannot be WireGuard-encrypted. */
export type EncryptionBlocker =
  /** Some nodes carry no 'projectcalico.org/WireguardPublicKey' annotation (WireGuard not up there). */
  | 'NODES_WITHOUT_PUBLIC_KEY'
  /** The cluster’s agent has reported no nodes (yet). */
  | 'NO_NODES_REPORTED'
  /** wireguardEnabled is not on for the cluster (mesh-wide or its own setting). */
  | 'WIREGUARD_DISABLED';

/** One end of the traffic a rule matches (Calico's EntityRule). */
export type EntityRuleInput = {
  /** Selector over namespace labels; 'global()' selects non-namespaced entities. */
  namespaceSelector?: string | null | undefined;
  /** CIDRs the peer must be in (any of them). */
  nets?: Array<string> | null | undefined;
  /** CIDRs the peer must not be in. */
  notNets?: Array<string> | null | undefined;
  /** Ports that must not match (same forms as ports). */
  notPorts?: Array<string> | null | undefined;
  /** Endpoints matching this selector are excluded. */
  notSelector?: string | null | undefined;
  /** Ports: numbers ("80"), ranges ("1000:2000") or named ports ("http"); need protocol TCP, UDP or SCTP. */
  ports?: Array<string> | null | undefined;
  /** Selector over endpoint labels, 'meshplane.io/cluster' included (workloads of other clusters). */
  selector?: string | null | undefined;
  /** The peer's service account. */
  serviceAccounts?: ServiceAccountMatchInput | null | undefined;
  /** A Kubernetes Service; excludes every other peer field. */
  services?: ServiceMatchInput | null | undefined;
};

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

/** Layer-7 HTTP match (Allow rules only). */
export type HttpMatchInput = {
  /** HTTP methods (GET, POST, ...). */
  methods?: Array<string> | null | undefined;
  /** Paths. */
  paths?: Array<HttpPathMatchInput> | null | undefined;
};

/** An HTTP path match: exactly one of exact or prefix. */
export type HttpPathMatchInput = {
  /** The path, exactly. */
  exact?: string | null | undefined;
  /** A prefix of the path. */
  prefix?: string | null | undefined;
};

/** An ICMP type and code match. */
export type IcmpMatchInput = {
  /** ICMP code, 0-255; needs a type. */
  code?: number | null | undefined;
  /** ICMP type, 0-254. */
  type?: number | null | undefined;
};

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

/** What a policy version records. */
export type PolicyChangeKind =
  /** The policy was created. */
  | 'Created'
  /** It was deleted (the version keeps its last spec). */
  | 'Deleted'
  /** Its spec was restored from an earlier version (restoring it if deleted). */
  | 'RolledBack'
  /** Its spec was replaced. */
  | 'Updated';

/** The Calico resource a policy becomes. */
export type PolicyKind =
  /** Cluster-wide: applies to endpoints of any namespace. */
  | 'GlobalNetworkPolicy'
  /** Namespaced: applies to endpoints of its namespace. */
  | 'NetworkPolicy';

/** A policy by its Calico identity. */
export type PolicyRefInput = {
  /** NetworkPolicy or GlobalNetworkPolicy. */
  kind: string;
  /** Policy name. */
  name: string;
  /** Namespace of a NetworkPolicy. */
  namespace?: string | null | undefined;
  /** The staged policy of that name (default: the enforced one). */
  staged?: boolean | null | undefined;
};

/** One proposed change: exactly one of upsert or remove. */
export type PolicySetChangeInput = {
  /** A policy to take away. */
  remove?: PolicyRefInput | null | undefined;
  /** A policy in the CreatePolicyInput shape; replaces the policy of the same kind, namespace, name and staged flag, or adds it. */
  upsert?: unknown;
};

/** A Calico NetworkPolicy/GlobalNetworkPolicy spec plus Meshplane's clusterSelector and staged. */
export type PolicySpecInput = {
  /** Which clusters receive the policy: a selector over cluster labels and 'meshplane.io/cluster'; empty means all. */
  clusterSelector?: string | null | undefined;
  /** Egress rules, in order (at most 1024). */
  egress?: Array<RuleInput> | null | undefined;
  /** Ingress rules, in order (at most 1024). */
  ingress?: Array<RuleInput> | null | undefined;
  /** GlobalNetworkPolicy only: endpoints whose namespace's labels match. */
  namespaceSelector?: string | null | undefined;
  /** Order inside the tier, lower first; none means last. */
  order?: number | null | undefined;
  /** Endpoints the policy applies to; empty means all. */
  selector?: string | null | undefined;
  /** Endpoints whose service account labels match. */
  serviceAccountSelector?: string | null | undefined;
  /** Staged policies are evaluated and reported, never enforced. */
  staged?: boolean | null | undefined;
  /** The tier the policy belongs to; default 'default'. */
  tier?: string | null | undefined;
  /** Directions governed; defaulted from the rules present (Calico rules) when omitted. */
  types?: Array<PolicyType> | null | undefined;
};

/** A direction of traffic a policy governs. */
export type PolicyType =
  /** Traffic out of the selected endpoints. */
  | 'Egress'
  /** Traffic into the selected endpoints. */
  | 'Ingress';

/** What to recommend a policy for. */
export type RecommendPolicyInput = {
  /** The cluster. */
  clusterId: string | number;
  /** Minutes of recorded flows to learn from, up to now; default 60, at most the retention. */
  lookback?: number | null | undefined;
  /** The namespace whose workloads' ingress the policy governs. */
  namespace: string;
  /** Only this workload of the namespace (the owner its pods share, as flows name it): the policy selects its pods by the stable labels they share, and governs only their ingress. */
  workload?: string | null | undefined;
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

/** How far a change has got. */
export type RolloutState =
  /** Every cluster it affects has applied it (also when it affects none). */
  | 'APPLIED'
  /** Bundles including it are being compiled. */
  | 'COMPILING'
  /** At least one cluster failed to apply it (see its errors). */
  | 'FAILED'
  /** Compiled; some clusters have not applied it yet. */
  | 'ROLLING_OUT';

/** What a rule does with traffic it matches. */
export type RuleAction =
  /** Allow the traffic; evaluation ends. */
  | 'Allow'
  /** Drop the traffic; evaluation ends. */
  | 'Deny'
  /** Log the traffic and go on with the next rule. */
  | 'Log'
  /** Skip the rest of the tier and go on with the next tier that applies. */
  | 'Pass';

/** One rule of a policy. */
export type RuleInput = {
  /** What the rule does with matching traffic. */
  action: RuleAction;
  /** Where the traffic goes. */
  destination?: EntityRuleInput | null | undefined;
  /** HTTP match (Allow rules only). */
  http?: HttpMatchInput | null | undefined;
  /** ICMP match; needs protocol ICMP or ICMPv6. */
  icmp?: IcmpMatchInput | null | undefined;
  /** ICMP types/codes that must not match. */
  notICMP?: IcmpMatchInput | null | undefined;
  /** A protocol the traffic must not have. */
  notProtocol?: string | null | undefined;
  /** TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 1-255. */
  protocol?: string | null | undefined;
  /** Where the traffic comes from. */
  source?: EntityRuleInput | null | undefined;
};

/** Pods running as matching service accounts. */
export type ServiceAccountMatchInput = {
  /** Service account names (any of them). */
  names?: Array<string> | null | undefined;
  /** Selector over the service accounts' labels. */
  selector?: string | null | undefined;
};

/** Narrows the service graph; every field given must match. */
export type ServiceGraphFilter = {
  /** Only traffic with this verdict. */
  action?: FlowAction | null | undefined;
  /** Only traffic with either end in this cluster (by name). */
  cluster?: string | null | undefined;
  /** Only traffic with either end in this namespace. */
  namespace?: string | null | undefined;
};

/** A Kubernetes Service. */
export type ServiceMatchInput = {
  /** Service name. */
  name: string;
  /** Service namespace; defaults to the policy's namespace. */
  namespace?: string | null | undefined;
};

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

/** What happens when a tier applies to an endpoint but none of its policies decides. */
export type TierDefaultAction =
  /** Drop the traffic (Calico’s default). */
  | 'Deny'
  /** Go on to the next tier that applies. */
  | 'Pass';

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

/** A policy's new spec; it replaces the whole spec (kind, name and namespace cannot change). */
export type UpdatePolicyInput = {
  /** The new spec. */
  spec: PolicySpecInput;
};

/** A proposed policy set and the recorded flows to test it on. */
export type WhatIfInput = {
  /** Changes to the tenant's current policies (1 to 100). */
  changes: Array<PolicySetChangeInput>;
  /** Only flows this cluster reported. */
  clusterId?: string | number | null | undefined;
  /** Changed flows to list, 1 to 1000, default 100. */
  first?: number | null | undefined;
  /** Flows starting at or after this time. */
  from: string;
  /** Only flows with an end (source or destination) in this namespace. */
  namespace?: string | null | undefined;
  /** Flows starting before this time. */
  to: string;
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


export type ClustersQuery = { clusters: Array<{ id: string, name: string, createdAt: string, revokedAt: string | null, labels: Array<{ key: string, value: string }>, status: { connected: boolean, lastSeenAt: string | null, agentVersion: string | null, kubernetesVersion: string | null, nodeCount: number | null, calicoVersion: string | null, errors: Array<string>, recommendedAgentVersion: string | null, agentOutdated: boolean }, config: { desiredVersion: number, appliedVersion: number, state: ConfigState, lastResultAt: string | null, errors: Array<{ kind: string, namespace: string | null, name: string, message: string }> }, flowTelemetry: { droppedFlows: number, lastDropAt: string | null } }> | null };

export type RegisterClusterMutationVariables = Exact<{
  input: RegisterClusterInput;
}>;


export type RegisterClusterMutation = { registerCluster: { installCommand: string, cluster: { id: string, name: string } } | null };

export type RevokeClusterMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeClusterMutation = { revokeCluster: { id: string, revokedAt: string | null } | null };

export type RotateInstallTokenMutationVariables = Exact<{
  id: string | number;
}>;


export type RotateInstallTokenMutation = { rotateInstallToken: { installCommand: string, installTokenExpiresAt: string, cluster: { id: string, name: string } } | null };

export type UpdateClusterLabelsMutationVariables = Exact<{
  id: string | number;
  labels: Array<LabelInput> | LabelInput;
}>;


export type UpdateClusterLabelsMutation = { updateClusterLabels: { id: string, labels: Array<{ key: string, value: string }> } | null };

export type DeleteClusterMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteClusterMutation = { deleteCluster: string | null };

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

export type RuleFieldsFragment = { action: RuleAction, protocol: string | null, notProtocol: string | null, icmp: { type: number | null, code: number | null } | null, notICMP: { type: number | null, code: number | null } | null, source: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, destination: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, http: { methods: Array<string> | null, paths: Array<{ exact: string | null, prefix: string | null }> | null } | null };

export type EntityFieldsFragment = { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null };

export type SpecFieldsFragment = { tier: string | null, order: number | null, selector: string | null, namespaceSelector: string | null, serviceAccountSelector: string | null, types: Array<PolicyType> | null, clusterSelector: string | null, staged: boolean | null, ingress: Array<{ action: RuleAction, protocol: string | null, notProtocol: string | null, icmp: { type: number | null, code: number | null } | null, notICMP: { type: number | null, code: number | null } | null, source: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, destination: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, http: { methods: Array<string> | null, paths: Array<{ exact: string | null, prefix: string | null }> | null } | null }> | null, egress: Array<{ action: RuleAction, protocol: string | null, notProtocol: string | null, icmp: { type: number | null, code: number | null } | null, notICMP: { type: number | null, code: number | null } | null, source: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, destination: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, http: { methods: Array<string> | null, paths: Array<{ exact: string | null, prefix: string | null }> | null } | null }> | null };

export type PolicyFieldsFragment = { id: string, kind: PolicyKind, name: string, calicoName: string, namespace: string | null, tier: string, staged: boolean, version: number, updatedAt: string, spec: { tier: string | null, order: number | null, selector: string | null, namespaceSelector: string | null, serviceAccountSelector: string | null, types: Array<PolicyType> | null, clusterSelector: string | null, staged: boolean | null, ingress: Array<{ action: RuleAction, protocol: string | null, notProtocol: string | null, icmp: { type: number | null, code: number | null } | null, notICMP: { type: number | null, code: number | null } | null, source: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, destination: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, http: { methods: Array<string> | null, paths: Array<{ exact: string | null, prefix: string | null }> | null } | null }> | null, egress: Array<{ action: RuleAction, protocol: string | null, notProtocol: string | null, icmp: { type: number | null, code: number | null } | null, notICMP: { type: number | null, code: number | null } | null, source: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, destination: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, http: { methods: Array<string> | null, paths: Array<{ exact: string | null, prefix: string | null }> | null } | null }> | null } };

export type PolicyBoardQueryVariables = Exact<{ [key: string]: never; }>;


export type PolicyBoardQuery = { tiers: Array<{ id: string, name: string, order: number | null, defaultAction: TierDefaultAction, builtIn: boolean }> | null, policies: Array<{ id: string, kind: PolicyKind, name: string, calicoName: string, namespace: string | null, tier: string, staged: boolean, version: number, updatedAt: string, spec: { tier: string | null, order: number | null, selector: string | null, namespaceSelector: string | null, serviceAccountSelector: string | null, types: Array<PolicyType> | null, clusterSelector: string | null, staged: boolean | null, ingress: Array<{ action: RuleAction, protocol: string | null, notProtocol: string | null, icmp: { type: number | null, code: number | null } | null, notICMP: { type: number | null, code: number | null } | null, source: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, destination: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, http: { methods: Array<string> | null, paths: Array<{ exact: string | null, prefix: string | null }> | null } | null }> | null, egress: Array<{ action: RuleAction, protocol: string | null, notProtocol: string | null, icmp: { type: number | null, code: number | null } | null, notICMP: { type: number | null, code: number | null } | null, source: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, destination: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, http: { methods: Array<string> | null, paths: Array<{ exact: string | null, prefix: string | null }> | null } | null }> | null } }> | null };

export type PolicyDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type PolicyDetailQuery = { policy: { id: string, kind: PolicyKind, name: string, calicoName: string, namespace: string | null, tier: string, staged: boolean, version: number, updatedAt: string, spec: { tier: string | null, order: number | null, selector: string | null, namespaceSelector: string | null, serviceAccountSelector: string | null, types: Array<PolicyType> | null, clusterSelector: string | null, staged: boolean | null, ingress: Array<{ action: RuleAction, protocol: string | null, notProtocol: string | null, icmp: { type: number | null, code: number | null } | null, notICMP: { type: number | null, code: number | null } | null, source: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, destination: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, http: { methods: Array<string> | null, paths: Array<{ exact: string | null, prefix: string | null }> | null } | null }> | null, egress: Array<{ action: RuleAction, protocol: string | null, notProtocol: string | null, icmp: { type: number | null, code: number | null } | null, notICMP: { type: number | null, code: number | null } | null, source: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, destination: { nets: Array<string> | null, notNets: Array<string> | null, selector: string | null, notSelector: string | null, namespaceSelector: string | null, ports: Array<string> | null, notPorts: Array<string> | null, serviceAccounts: { names: Array<string> | null, selector: string | null } | null, services: { name: string, namespace: string | null } | null } | null, http: { methods: Array<string> | null, paths: Array<{ exact: string | null, prefix: string | null }> | null } | null }> | null } } | null, policyHistory: Array<{ version: number, changeId: string, change: PolicyChangeKind, restoredVersion: number | null, createdAt: string, authorUserId: string | null }> | null };

export type PolicyVersionDiffQueryVariables = Exact<{
  id: string | number;
  from: number;
  to: number;
}>;


export type PolicyVersionDiffQuery = { policyDiff: { from: number, to: number, changes: Array<{ op: DiffOperation, path: string, before: string | null, after: string | null }> } | null };

export type PolicyRolloutQueryVariables = Exact<{
  changeId: string | number;
}>;


export type PolicyRolloutQuery = { rollout: { changeId: string, state: RolloutState, clusters: Array<{ clusterId: string, version: number, state: ConfigState, errors: Array<{ kind: string, namespace: string | null, name: string, message: string }> }> } | null, clusters: Array<{ id: string, name: string }> | null };

export type PolicyWhatIfQueryVariables = Exact<{
  input: WhatIfInput;
}>;


export type PolicyWhatIfQuery = { whatIf: { evaluated: number, skipped: number, changed: number, newlyDenied: number, newlyAllowed: number, truncated: boolean, flows: Array<{ oldAction: FlowAction, newAction: FlowAction, newTrace: Array<string>, flow: { startTime: string, protocol: string, source: { cluster: string | null, namespace: string, workload: string }, destination: { cluster: string | null, namespace: string, workload: string, port: number | null } } }> } | null };

export type ChangeFieldsFragment = { policyId: string, version: number, changeId: string, change: PolicyChangeKind, changed: boolean };

export type CreatePolicyMutationVariables = Exact<{
  input: CreatePolicyInput;
}>;


export type CreatePolicyMutation = { createPolicy: { policyId: string, version: number, changeId: string, change: PolicyChangeKind, changed: boolean } | null };

export type UpdatePolicyMutationVariables = Exact<{
  id: string | number;
  input: UpdatePolicyInput;
}>;


export type UpdatePolicyMutation = { updatePolicy: { policyId: string, version: number, changeId: string, change: PolicyChangeKind, changed: boolean } | null };

export type DeletePolicyMutationVariables = Exact<{
  id: string | number;
}>;


export type DeletePolicyMutation = { deletePolicy: { policyId: string, version: number, changeId: string, change: PolicyChangeKind, changed: boolean } | null };

export type RollbackPolicyMutationVariables = Exact<{
  id: string | number;
  version: number;
}>;


export type RollbackPolicyMutation = { rollbackPolicy: { policyId: string, version: number, changeId: string, change: PolicyChangeKind, changed: boolean } | null };

export type CreateTierMutationVariables = Exact<{
  input: CreateTierInput;
}>;


export type CreateTierMutation = { createTier: { id: string, name: string } | null };

export type DeleteTierMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteTierMutation = { deleteTier: string | null };

export type RecommendationTargetsQueryVariables = Exact<{ [key: string]: never; }>;


export type RecommendationTargetsQuery = { clusters: Array<{ id: string, name: string, revokedAt: string | null }> | null };

export type ClusterNamespacesQueryVariables = Exact<{
  clusterId: string | number;
}>;


export type ClusterNamespacesQuery = { endpoints: { nodes: Array<{ namespace: string }> } | null };

export type NamespaceWorkloadsQueryVariables = Exact<{
  from: string;
  to: string;
  filter: ServiceGraphFilter;
}>;


export type NamespaceWorkloadsQuery = { serviceGraph: { nodes: Array<{ kind: GraphNodeKind, cluster: string | null, namespace: string, name: string }> } | null };

export type RecommendPolicyQueryVariables = Exact<{
  input: RecommendPolicyInput;
}>;


export type RecommendPolicyQuery = { recommendPolicy: { input: unknown, from: string, to: string, observed: number, rules: number, unattributed: number, truncated: boolean } | null };

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
export const EntityFieldsFragmentDoc = new TypedDocumentString(`
    fragment EntityFields on EntityRule {
  nets
  notNets
  selector
  notSelector
  namespaceSelector
  ports
  notPorts
  serviceAccounts {
    names
    selector
  }
  services {
    name
    namespace
  }
}
    `, {"fragmentName":"EntityFields"}) as unknown as TypedDocumentString<EntityFieldsFragment, unknown>;
export const RuleFieldsFragmentDoc = new TypedDocumentString(`
    fragment RuleFields on Rule {
  action
  protocol
  notProtocol
  icmp {
    type
    code
  }
  notICMP {
    type
    code
  }
  source {
    ...EntityFields
  }
  destination {
    ...EntityFields
  }
  http {
    methods
    paths {
      exact
      prefix
    }
  }
}
    fragment EntityFields on EntityRule {
  nets
  notNets
  selector
  notSelector
  namespaceSelector
  ports
  notPorts
  serviceAccounts {
    names
    selector
  }
  services {
    name
    namespace
  }
}`, {"fragmentName":"RuleFields"}) as unknown as TypedDocumentString<RuleFieldsFragment, unknown>;
export const SpecFieldsFragmentDoc = new TypedDocumentString(`
    fragment SpecFields on PolicySpec {
  tier
  order
  selector
  namespaceSelector
  serviceAccountSelector
  types
  clusterSelector
  staged
  ingress {
    ...RuleFields
  }
  egress {
    ...RuleFields
  }
}
    fragment RuleFields on Rule {
  action
  protocol
  notProtocol
  icmp {
    type
    code
  }
  notICMP {
    type
    code
  }
  source {
    ...EntityFields
  }
  destination {
    ...EntityFields
  }
  http {
    methods
    paths {
      exact
      prefix
    }
  }
}
fragment EntityFields on EntityRule {
  nets
  notNets
  selector
  notSelector
  namespaceSelector
  ports
  notPorts
  serviceAccounts {
    names
    selector
  }
  services {
    name
    namespace
  }
}`, {"fragmentName":"SpecFields"}) as unknown as TypedDocumentString<SpecFieldsFragment, unknown>;
export const PolicyFieldsFragmentDoc = new TypedDocumentString(`
    fragment PolicyFields on Policy {
  id
  kind
  name
  calicoName
  namespace
  tier
  staged
  version
  updatedAt
  spec {
    ...SpecFields
  }
}
    fragment RuleFields on Rule {
  action
  protocol
  notProtocol
  icmp {
    type
    code
  }
  notICMP {
    type
    code
  }
  source {
    ...EntityFields
  }
  destination {
    ...EntityFields
  }
  http {
    methods
    paths {
      exact
      prefix
    }
  }
}
fragment EntityFields on EntityRule {
  nets
  notNets
  selector
  notSelector
  namespaceSelector
  ports
  notPorts
  serviceAccounts {
    names
    selector
  }
  services {
    name
    namespace
  }
}
fragment SpecFields on PolicySpec {
  tier
  order
  selector
  namespaceSelector
  serviceAccountSelector
  types
  clusterSelector
  staged
  ingress {
    ...RuleFields
  }
  egress {
    ...RuleFields
  }
}`, {"fragmentName":"PolicyFields"}) as unknown as TypedDocumentString<PolicyFieldsFragment, unknown>;
export const ChangeFieldsFragmentDoc = new TypedDocumentString(`
    fragment ChangeFields on PolicyChange {
  policyId
  version
  changeId
  change
  changed
}
    `, {"fragmentName":"ChangeFields"}) as unknown as TypedDocumentString<ChangeFieldsFragment, unknown>;
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
      calicoVersion
      errors
      recommendedAgentVersion
      agentOutdated
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
      lastResultAt
    }
    flowTelemetry {
      droppedFlows
      lastDropAt
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
export const RotateInstallTokenDocument = new TypedDocumentString(`
    mutation RotateInstallToken($id: ID!) {
  rotateInstallToken(id: $id) {
    cluster {
      id
      name
    }
    installCommand
    installTokenExpiresAt
  }
}
    `) as unknown as TypedDocumentString<RotateInstallTokenMutation, RotateInstallTokenMutationVariables>;
export const UpdateClusterLabelsDocument = new TypedDocumentString(`
    mutation UpdateClusterLabels($id: ID!, $labels: [LabelInput!]!) {
  updateClusterLabels(id: $id, labels: $labels) {
    id
    labels {
      key
      value
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateClusterLabelsMutation, UpdateClusterLabelsMutationVariables>;
export const DeleteClusterDocument = new TypedDocumentString(`
    mutation DeleteCluster($id: ID!) {
  deleteCluster(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteClusterMutation, DeleteClusterMutationVariables>;
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
export const PolicyBoardDocument = new TypedDocumentString(`
    query PolicyBoard {
  tiers {
    id
    name
    order
    defaultAction
    builtIn
  }
  policies {
    ...PolicyFields
  }
}
    fragment RuleFields on Rule {
  action
  protocol
  notProtocol
  icmp {
    type
    code
  }
  notICMP {
    type
    code
  }
  source {
    ...EntityFields
  }
  destination {
    ...EntityFields
  }
  http {
    methods
    paths {
      exact
      prefix
    }
  }
}
fragment EntityFields on EntityRule {
  nets
  notNets
  selector
  notSelector
  namespaceSelector
  ports
  notPorts
  serviceAccounts {
    names
    selector
  }
  services {
    name
    namespace
  }
}
fragment SpecFields on PolicySpec {
  tier
  order
  selector
  namespaceSelector
  serviceAccountSelector
  types
  clusterSelector
  staged
  ingress {
    ...RuleFields
  }
  egress {
    ...RuleFields
  }
}
fragment PolicyFields on Policy {
  id
  kind
  name
  calicoName
  namespace
  tier
  staged
  version
  updatedAt
  spec {
    ...SpecFields
  }
}`) as unknown as TypedDocumentString<PolicyBoardQuery, PolicyBoardQueryVariables>;
export const PolicyDetailDocument = new TypedDocumentString(`
    query PolicyDetail($id: ID!) {
  policy(id: $id) {
    ...PolicyFields
  }
  policyHistory(id: $id) {
    version
    changeId
    change
    restoredVersion
    createdAt
    authorUserId
  }
}
    fragment RuleFields on Rule {
  action
  protocol
  notProtocol
  icmp {
    type
    code
  }
  notICMP {
    type
    code
  }
  source {
    ...EntityFields
  }
  destination {
    ...EntityFields
  }
  http {
    methods
    paths {
      exact
      prefix
    }
  }
}
fragment EntityFields on EntityRule {
  nets
  notNets
  selector
  notSelector
  namespaceSelector
  ports
  notPorts
  serviceAccounts {
    names
    selector
  }
  services {
    name
    namespace
  }
}
fragment SpecFields on PolicySpec {
  tier
  order
  selector
  namespaceSelector
  serviceAccountSelector
  types
  clusterSelector
  staged
  ingress {
    ...RuleFields
  }
  egress {
    ...RuleFields
  }
}
fragment PolicyFields on Policy {
  id
  kind
  name
  calicoName
  namespace
  tier
  staged
  version
  updatedAt
  spec {
    ...SpecFields
  }
}`) as unknown as TypedDocumentString<PolicyDetailQuery, PolicyDetailQueryVariables>;
export const PolicyVersionDiffDocument = new TypedDocumentString(`
    query PolicyVersionDiff($id: ID!, $from: Int!, $to: Int!) {
  policyDiff(id: $id, from: $from, to: $to) {
    from
    to
    changes {
      op
      path
      before
      after
    }
  }
}
    `) as unknown as TypedDocumentString<PolicyVersionDiffQuery, PolicyVersionDiffQueryVariables>;
export const PolicyRolloutDocument = new TypedDocumentString(`
    query PolicyRollout($changeId: ID!) {
  rollout(changeId: $changeId) {
    changeId
    state
    clusters {
      clusterId
      version
      state
      errors {
        kind
        namespace
        name
        message
      }
    }
  }
  clusters {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<PolicyRolloutQuery, PolicyRolloutQueryVariables>;
export const PolicyWhatIfDocument = new TypedDocumentString(`
    query PolicyWhatIf($input: WhatIfInput!) {
  whatIf(input: $input) {
    evaluated
    skipped
    changed
    newlyDenied
    newlyAllowed
    truncated
    flows {
      oldAction
      newAction
      newTrace
      flow {
        startTime
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
  }
}
    `) as unknown as TypedDocumentString<PolicyWhatIfQuery, PolicyWhatIfQueryVariables>;
export const CreatePolicyDocument = new TypedDocumentString(`
    mutation CreatePolicy($input: CreatePolicyInput!) {
  createPolicy(input: $input) {
    ...ChangeFields
  }
}
    fragment ChangeFields on PolicyChange {
  policyId
  version
  changeId
  change
  changed
}`) as unknown as TypedDocumentString<CreatePolicyMutation, CreatePolicyMutationVariables>;
export const UpdatePolicyDocument = new TypedDocumentString(`
    mutation UpdatePolicy($id: ID!, $input: UpdatePolicyInput!) {
  updatePolicy(id: $id, input: $input) {
    ...ChangeFields
  }
}
    fragment ChangeFields on PolicyChange {
  policyId
  version
  changeId
  change
  changed
}`) as unknown as TypedDocumentString<UpdatePolicyMutation, UpdatePolicyMutationVariables>;
export const DeletePolicyDocument = new TypedDocumentString(`
    mutation DeletePolicy($id: ID!) {
  deletePolicy(id: $id) {
    ...ChangeFields
  }
}
    fragment ChangeFields on PolicyChange {
  policyId
  version
  changeId
  change
  changed
}`) as unknown as TypedDocumentString<DeletePolicyMutation, DeletePolicyMutationVariables>;
export const RollbackPolicyDocument = new TypedDocumentString(`
    mutation RollbackPolicy($id: ID!, $version: Int!) {
  rollbackPolicy(id: $id, version: $version) {
    ...ChangeFields
  }
}
    fragment ChangeFields on PolicyChange {
  policyId
  version
  changeId
  change
  changed
}`) as unknown as TypedDocumentString<RollbackPolicyMutation, RollbackPolicyMutationVariables>;
export const CreateTierDocument = new TypedDocumentString(`
    mutation CreateTier($input: CreateTierInput!) {
  createTier(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateTierMutation, CreateTierMutationVariables>;
export const DeleteTierDocument = new TypedDocumentString(`
    mutation DeleteTier($id: ID!) {
  deleteTier(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteTierMutation, DeleteTierMutationVariables>;
export const RecommendationTargetsDocument = new TypedDocumentString(`
    query RecommendationTargets {
  clusters {
    id
    name
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RecommendationTargetsQuery, RecommendationTargetsQueryVariables>;
export const ClusterNamespacesDocument = new TypedDocumentString(`
    query ClusterNamespaces($clusterId: ID!) {
  endpoints(clusterId: $clusterId, first: 500) {
    nodes {
      namespace
    }
  }
}
    `) as unknown as TypedDocumentString<ClusterNamespacesQuery, ClusterNamespacesQueryVariables>;
export const NamespaceWorkloadsDocument = new TypedDocumentString(`
    query NamespaceWorkloads($from: DateTime!, $to: DateTime!, $filter: ServiceGraphFilter!) {
  serviceGraph(from: $from, to: $to, filter: $filter) {
    nodes {
      kind
      cluster
      namespace
      name
    }
  }
}
    `) as unknown as TypedDocumentString<NamespaceWorkloadsQuery, NamespaceWorkloadsQueryVariables>;
export const RecommendPolicyDocument = new TypedDocumentString(`
    query RecommendPolicy($input: RecommendPolicyInput!) {
  recommendPolicy(input: $input) {
    input
    from
    to
    observed
    rules
    unattributed
    truncated
  }
}
    `) as unknown as TypedDocumentString<RecommendPolicyQuery, RecommendPolicyQueryVariables>;