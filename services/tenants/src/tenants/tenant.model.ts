import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Tenant', { description: 'An organisation: the unit of isolation in Meshplane.' })
export class Tenant {
  @Field(() => ID, { description: 'Tenant id.' })
  id!: string;

  @Field({ description: 'Display name.' })
  name!: string;

  @Field({ description: 'Handle used at login; unique across Meshplane.' })
  slug!: string;

  @Field({ description: 'When the tenant signed up.' })
  createdAt!: Date;
}
