import { Directive, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Label', { description: 'A key/value label.' })
export class Label {
  @Field({ description: 'Label key.' })
  key!: string;

  @Field({ description: 'Label value.' })
  value!: string;
}

@InputType('LabelInput', { description: 'A key/value label (Kubernetes label syntax).' })
export class LabelInput {
  @Field({ description: 'Label key, e.g. `region` or `example.com/team`.' })
  key!: string;

  @Field({ description: 'Label value (at most 63 characters).' })
  value!: string;
}

@ObjectType('ClusterStatus', { description: "Live status of a cluster's agent." })
export class ClusterStatus {
  @Field({ description: 'True while an agent session is open and heard from in the last 15 seconds.' })
  connected!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the agent was last heard from.' })
  lastSeenAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The agent's version." })
  agentVersion!: string | null;

  @Field(() => String, { nullable: true, description: "The cluster's Kubernetes version." })
  kubernetesVersion!: string | null;

  @Field(() => Int, { nullable: true, description: 'Number of nodes the agent reports.' })
  nodeCount!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The cluster's Calico release, from its `ClusterInformation` `default` (null until the agent reports it).",
  })
  calicoVersion!: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'The `projectcalico.org/v3` kinds the cluster serves (e.g. `Tier`, `StagedNetworkPolicy`), sorted; empty when it serves none (no Calico API server), null until the agent reports them. A bundle that needs a kind missing here is not applied: `Cluster.config` shows the kind and the Calico release it needs.',
  })
  calicoKinds!: string[] | null;

  @Field(() => [String], { description: 'Recent problems with the agent or its session.' })
  errors!: string[];

  @Field(() => String, {
    nullable: true,
    description:
      "The agent release the install manifest deploys now (the tag of the hub's agent image; null when the image names no release). Running the cluster's install command again upgrades the agent to it.",
  })
  recommendedAgentVersion!: string | null;

  @Field({
    description:
      'The agent reports an older release than `recommendedAgentVersion`: run the install command again to upgrade it.',
  })
  agentOutdated!: boolean;
}

@ObjectType('Cluster', {
  description: 'A Kubernetes cluster of the tenant, joined to the mesh by its agent.',
})
@Directive('@key(fields: "id", resolvable: false)')
export class Cluster {
  @Field(() => ID, { description: 'Cluster id.' })
  id!: string;

  @Field({ description: 'Name, unique in the tenant; also the value of the `meshplane.io/cluster` label.' })
  name!: string;

  @Field(() => [Label], { description: 'Labels that drive policy and zone targeting, sorted by key.' })
  labels!: Label[];

  @Field({ description: 'When the cluster was registered.' })
  createdAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the cluster was revoked; its agent is refused since.',
  })
  revokedAt!: Date | null;

  @Field(() => ClusterStatus, { description: "The agent's live status." })
  status!: ClusterStatus;

  @Field({
    description:
      'One kubectl line that removes everything Meshplane put into the cluster (every object labelled `app.kubernetes.io/managed-by=meshplane`: the agent and the policies, tiers, network sets and EndpointSlices it applied). A connected agent removes what it applied itself when the cluster is deleted; run this for a cluster whose agent is gone, or after deleting the cluster to remove the agent too.',
  })
  uninstallCommand!: string;
}

@InputType('RegisterClusterInput', { description: 'A cluster to add to the mesh.' })
export class RegisterClusterInput {
  @Field({ description: 'DNS label, unique in the tenant (e.g. `eu-west-1`).' })
  name!: string;

  @Field(() => [LabelInput], {
    defaultValue: [],
    description: 'Cluster labels (`region`, `geo`, `env`, ...).',
  })
  labels!: LabelInput[];
}

@ObjectType('RegisterClusterPayload', { description: 'A registered cluster and how to install its agent.' })
export class RegisterClusterPayload {
  @Field(() => Cluster, { description: 'The cluster.' })
  cluster!: Cluster;

  @Field({ description: 'Run this once against the cluster: `kubectl apply -f <url>`.' })
  installCommand!: string;

  @Field({ description: 'When the install token in the command stops working.' })
  installTokenExpiresAt!: Date;
}

@InputType('ClusterFilter', { description: 'Which clusters to list.' })
export class ClusterFilter {
  @Field(() => [LabelInput], { nullable: true, description: 'Only clusters carrying all these labels.' })
  labels?: LabelInput[];

  @Field({ nullable: true, description: 'Only clusters whose name contains this text.' })
  nameContains?: string;

  @Field({ nullable: true, description: 'Only connected (true) or disconnected (false) clusters.' })
  connected?: boolean;
}
