import { Directive, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ConfigStateValue {
  PENDING = 'pending',
  APPLIED = 'applied',
  FAILED = 'failed',
}
registerEnumType(ConfigStateValue, {
  name: 'ConfigState',
  description: "Where a cluster's agent is with a config version.",
  valuesMap: {
    PENDING: { description: 'Not applied yet (being pushed, or the agent is offline).' },
    APPLIED: { description: 'The agent applied every object of it.' },
    FAILED: { description: 'The agent processed it and some objects failed (see errors).' },
  },
});

export enum RolloutStateValue {
  COMPILING = 'compiling',
  ROLLING_OUT = 'rolling_out',
  APPLIED = 'applied',
  FAILED = 'failed',
}
registerEnumType(RolloutStateValue, {
  name: 'RolloutState',
  description: 'How far a change has got.',
  valuesMap: {
    COMPILING: { description: 'Bundles including it are being compiled.' },
    ROLLING_OUT: { description: 'Compiled; some clusters have not applied it yet.' },
    APPLIED: { description: 'Every cluster it affects has applied it (also when it affects none).' },
    FAILED: { description: 'At least one cluster failed to apply it (see its errors).' },
  },
});

@ObjectType('ConfigError', { description: 'An object a cluster failed to apply.' })
export class ConfigError {
  @Field({ description: 'Kind, e.g. `GlobalNetworkPolicy`.' })
  kind!: string;

  @Field(() => String, { nullable: true, description: 'Namespace; null for cluster-scoped kinds.' })
  namespace!: string | null;

  @Field({ description: 'Object name.' })
  name!: string;

  @Field({ description: 'What the cluster answered.' })
  message!: string;
}

@ObjectType('ClusterConfig', { description: "A cluster's desired and applied config versions." })
export class ClusterConfig {
  @Field(() => Int, { description: 'The newest compiled version (0 before the first compile).' })
  desiredVersion!: number;

  @Field(() => Int, { description: 'The newest version the agent applied completely (0 when none).' })
  appliedVersion!: number;

  @Field(() => ConfigStateValue, { description: 'Whether the desired version is applied.' })
  state!: ConfigStateValue;

  @Field(() => [ConfigError], { description: 'Objects that failed in the latest attempt.' })
  errors!: ConfigError[];

  @Field(() => Date, { nullable: true, description: 'When the agent last reported a result.' })
  lastResultAt!: Date | null;
}

/** The part of `Cluster` this subgraph contributes (the clusters subgraph owns the rest). */
@ObjectType('Cluster', {
  description: 'A Kubernetes cluster of the tenant, joined to the mesh by its agent.',
})
@Directive('@key(fields: "id")')
export class ClusterConfigOwner {
  @Field(() => ID, { description: 'Cluster id.' })
  id!: string;

  @Field(() => ClusterConfig, { description: "The cluster's config rollout state." })
  config!: ClusterConfig;
}

@ObjectType('RolloutCluster', { description: 'One cluster a change affects.' })
export class RolloutCluster {
  @Field(() => ID, { description: 'The cluster.' })
  clusterId!: string;

  @Field(() => Int, { description: "The first of the cluster's config versions that carries the change." })
  version!: number;

  @Field(() => ConfigStateValue, {
    description: 'Whether the cluster has applied that version (or a later one).',
  })
  state!: ConfigStateValue;

  @Field(() => [ConfigError], { description: 'Objects that failed, when the state is failed.' })
  errors!: ConfigError[];
}

@ObjectType('Rollout', { description: 'Where a change (a policy version) has got across the clusters.' })
export class Rollout {
  @Field(() => ID, { description: 'The change (`PolicyChange.changeId`).' })
  changeId!: string;

  @Field(() => RolloutStateValue, { description: 'Overall state.' })
  state!: RolloutStateValue;

  @Field(() => [RolloutCluster], { description: 'Clusters whose config the change altered, by id.' })
  clusters!: RolloutCluster[];
}
