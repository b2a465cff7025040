import { Field, Float, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Tier', {
  description: 'A Calico tier of the tenant, applied to every cluster its policies target.',
})
export class Tier {
  @Field(() => ID, { description: 'Tier id.' })
  id!: string;

  @Field({ description: 'Tier name (a Calico resource name).' })
  name!: string;

  @Field(() => Float, { nullable: true, description: 'Evaluation order, lower first; null means last.' })
  order!: number | null;

  @Field({ description: 'What happens when the tier applies but no policy in it decides: Deny or Pass.' })
  defaultAction!: string;

  @Field({ description: 'When the tier was created.' })
  createdAt!: Date;
}
