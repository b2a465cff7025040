import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum EncryptionBlockerKind {
  WIREGUARD_DISABLED = 'WIREGUARD_DISABLED',
  NO_NODES_REPORTED = 'NO_NODES_REPORTED',
  NODES_WITHOUT_PUBLIC_KEY = 'NODES_WITHOUT_PUBLIC_KEY',
}
registerEnumType(EncryptionBlockerKind, {
  name: 'EncryptionBlocker',
  description: "Why a cluster's traffic to other clusters cannot be WireGuard-encrypted.",
  valuesMap: {
    WIREGUARD_DISABLED: {
      description: 'wireguardEnabled is not on for the cluster (mesh-wide or its own setting).',
    },
    NO_NODES_REPORTED: { description: 'The cluster’s agent has reported no nodes (yet).' },
    NODES_WITHOUT_PUBLIC_KEY: {
      description:
        "Some nodes carry no 'projectcalico.org/WireguardPublicKey' annotation (WireGuard not up there).",
    },
  },
});

/** The WireGuard fields shared by the setting and its input. */
@ObjectType('EncryptionSetting', {
  description:
    "WireGuard settings (Calico FelixConfiguration 'wireguard*' fields) for the whole mesh or one cluster; null fields are not set (a cluster inherits the mesh-wide value, then Calico's default).",
})
export class EncryptionSetting {
  @Field(() => ID, {
    nullable: true,
    description: 'The cluster the setting overrides; null for the mesh-wide setting.',
  })
  clusterId!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'WireGuard for IPv4 traffic (Calico default false).' })
  wireguardEnabled!: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'WireGuard for IPv6 traffic (Calico default false).' })
  wireguardEnabledV6!: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Also encrypt host-to-host traffic (Calico default false).',
  })
  wireguardHostEncryptionEnabled!: boolean | null;

  @Field(() => Int, { nullable: true, description: 'IPv4 WireGuard listening port (Calico default 51820).' })
  wireguardListeningPort!: number | null;

  @Field(() => Int, { nullable: true, description: 'IPv6 WireGuard listening port (Calico default 51821).' })
  wireguardListeningPortV6!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'MTU of the IPv4 WireGuard interface; 0 = auto (Calico default).',
  })
  wireguardMTU!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'MTU of the IPv6 WireGuard interface; 0 = auto (Calico default).',
  })
  wireguardMTUV6!: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Persistent keep-alive as a duration ('25s'); '0s' disables it (Calico default).",
  })
  wireguardKeepAlive!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Priority of the WireGuard routing rule (Calico default 99).',
  })
  wireguardRoutingRulePriority!: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Threaded NAPI on the WireGuard interface, for high packet rates (Calico default false).',
  })
  wireguardThreadingEnabled!: boolean | null;

  @Field(() => Date, { nullable: true, description: 'When the setting was last changed; null if never set.' })
  updatedAt!: Date | null;
}

@ObjectType('EncryptionChange', { description: 'The outcome of setEncryption.' })
export class EncryptionChange {
  @Field(() => ID, {
    description: 'Identifies this change in the config bundles it is compiled into (rollout status).',
  })
  changeId!: string;

  @Field(() => EncryptionSetting, { description: 'The setting as stored now.' })
  setting!: EncryptionSetting;
}

@InputType('SetEncryptionInput', {
  description:
    "Replaces the WireGuard settings of the mesh (clusterId omitted) or of one cluster: the fields given are set, the fields omitted or null are unset (inherited from the mesh-wide setting, then Calico's default).",
})
export class SetEncryptionInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The cluster to override; omitted for the mesh-wide setting.',
  })
  clusterId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'WireGuard for IPv4 traffic.' })
  wireguardEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'WireGuard for IPv6 traffic.' })
  wireguardEnabledV6?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Also encrypt host-to-host traffic.' })
  wireguardHostEncryptionEnabled?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'IPv4 listening port, 1-65535.' })
  wireguardListeningPort?: number | null;

  @Field(() => Int, { nullable: true, description: 'IPv6 listening port, 1-65535.' })
  wireguardListeningPortV6?: number | null;

  @Field(() => Int, { nullable: true, description: 'IPv4 interface MTU: 0 (auto) or 68-65535.' })
  wireguardMTU?: number | null;

  @Field(() => Int, { nullable: true, description: 'IPv6 interface MTU: 0 (auto) or 1280-65535.' })
  wireguardMTUV6?: number | null;

  @Field(() => String, { nullable: true, description: "Keep-alive duration such as '25s', '1m30s', '0s'." })
  wireguardKeepAlive?: string | null;

  @Field(() => Int, { nullable: true, description: 'Routing rule priority, 1-32765.' })
  wireguardRoutingRulePriority?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Threaded NAPI on the WireGuard interface.' })
  wireguardThreadingEnabled?: boolean | null;
}

@ObjectType('ClusterEncryption', { description: 'One cluster’s side of WireGuard encryption.' })
export class ClusterEncryption {
  @Field(() => ID, { description: 'Cluster id.' })
  clusterId!: string;

  @Field({ description: 'Cluster name.' })
  clusterName!: string;

  @Field({ description: 'Effective wireguardEnabled (mesh-wide, overridden by the cluster’s own setting).' })
  wireguardEnabled!: boolean;

  @Field(() => Int, { description: 'Nodes the agent reports.' })
  nodeCount!: number;

  @Field(() => Int, { description: 'Nodes that carry a WireGuard public key.' })
  nodesWithPublicKey!: number;

  @Field(() => [String], { description: 'Names of nodes without a public key (sorted, at most 20).' })
  nodesWithoutPublicKey!: string[];

  @Field(() => [EncryptionBlockerKind], {
    description: 'Why this cluster’s traffic cannot be encrypted; empty if it can.',
  })
  blockers!: EncryptionBlockerKind[];
}

@ObjectType('EncryptionPairBlocker', {
  description: 'A reason, on one side of a pair, why it is not encrypted.',
})
export class EncryptionPairBlocker {
  @Field(() => ID, { description: 'The cluster at fault.' })
  clusterId!: string;

  @Field(() => EncryptionBlockerKind, { description: 'What is missing there.' })
  reason!: EncryptionBlockerKind;
}

@ObjectType('ClusterPairEncryption', {
  description: 'Whether traffic between two clusters is WireGuard-encrypted.',
})
export class ClusterPairEncryption {
  @Field(() => ID, { description: 'One cluster of the pair (the first by name).' })
  clusterA!: string;

  @Field(() => ID, { description: 'The other cluster of the pair.' })
  clusterB!: string;

  @Field({ description: 'True when both sides have WireGuard on and every reported node has a public key.' })
  encrypted!: boolean;

  @Field(() => [EncryptionPairBlocker], {
    description: 'Every reason, on either side, why it is not; empty if encrypted.',
  })
  blockers!: EncryptionPairBlocker[];
}

@ObjectType('EncryptionStatus', {
  description:
    'Which pairs of the tenant’s clusters carry WireGuard-encrypted (IPv4) traffic, from the settings and the nodes’ reported public keys.',
})
export class EncryptionStatusModel {
  @Field(() => [ClusterEncryption], { description: 'Each cluster’s side, by name.' })
  clusters!: ClusterEncryption[];

  @Field(() => [ClusterPairEncryption], { description: 'Every pair of clusters, once.' })
  pairs!: ClusterPairEncryption[];
}
