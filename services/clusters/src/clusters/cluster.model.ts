import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Label', { description: 'A key/value label.' })
export class Label {
  @Field({ description: 'Label key.' })
  key!: string;

  @Field({ description: 'Label value.' })
  value!: string;
}

@ObjectType('Cluster', {
  description: 'A Kubernetes cluster of the tenant, joined to the mesh by its agent.',
})
export class Cluster {
  @Field(() => ID, { description: 'Cluster id.' })
  id!: string;

  @Field({ description: 'Name, unique in the tenant; also the value of the `meshplane.io/cluster` label.' })
  name!: string;

  @Field(() => [Label], { description: 'Labels that drive policy and zone targeting, sorted by key.' })
  labels!: Label[];

  @Field({ description: 'When the cluster was registered.' })
  createdAt!: Date;
}
