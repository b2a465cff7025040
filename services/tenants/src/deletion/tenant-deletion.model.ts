import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

@InputType({ description: 'Delete the tenant and everything in it.' })
export class DeleteTenantInput {
  @Field({ description: "The tenant's slug, typed again: a guard against deleting the wrong tenant." })
  confirm!: string;
}

@ObjectType('DeletedTenant', { description: 'A deleted tenant.' })
export class DeletedTenant {
  @Field(() => ID)
  tenantId!: string;

  @Field({ description: 'When it was deleted.' })
  deletedAt!: Date;
}
