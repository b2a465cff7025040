import { JsonValue } from '@meshplane/platform';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('ClusterReceivedConfig', {
  description:
    "The objects of a cluster's current bundle: exactly what Meshplane sends its agent (Calico tiers, policies, network sets, federated EndpointSlices, the FelixConfiguration for WireGuard).",
})
export class ClusterReceivedConfig {
  @Field(() => ID, { description: 'The cluster.' })
  clusterId!: string;

  @Field(() => Int, { description: 'The bundle version (`Cluster.config.desiredVersion`).' })
  version!: number;

  @Field({ description: "The bundle's content hash (equal content, equal hash)." })
  hash!: string;

  @Field({ description: 'When this version was compiled.' })
  compiledAt!: Date;

  @Field(() => [JsonValue], {
    description:
      'The Kubernetes objects, in the order the agent applies them (apiVersion, kind, metadata, ...).',
  })
  objects!: unknown[];

  @Field({ description: 'The same objects as one multi-document YAML stream.' })
  yaml!: string;
}
