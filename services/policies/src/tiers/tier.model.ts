import { Field, Float, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

/** What traffic that reaches the end of a tier without a verdict gets. */
export enum TierDefaultAction {
  Deny = 'Deny',
  Pass = 'Pass',
}

registerEnumType(TierDefaultAction, {
  name: 'TierDefaultAction',
  description: 'What happens when a tier applies to an endpoint but none of its policies decides.',
  valuesMap: {
    Deny: { description: 'Drop the traffic (Calico’s default).' },
    Pass: { description: 'Go on to the next tier that applies.' },
  },
});

@ObjectType('Tier', {
  description: 'A Calico tier of the tenant, applied to every cluster its policies target.',
})
export class Tier {
  @Field(() => ID, { description: 'Tier id.' })
  id!: string;

  @Field({ description: 'Tier name (a Calico resource name, immutable).' })
  name!: string;

  @Field(() => Float, { nullable: true, description: 'Evaluation order, lower first; null means last.' })
  order!: number | null;

  @Field(() => TierDefaultAction, {
    description: 'What happens when the tier applies but no policy in it decides: Deny or Pass.',
  })
  defaultAction!: TierDefaultAction;

  @Field({ description: "True for Calico's built-in 'default' tier, which cannot be changed or deleted." })
  builtIn!: boolean;

  @Field({ description: 'When the tier was created.' })
  createdAt!: Date;

  @Field({ description: 'When the tier was last changed.' })
  updatedAt!: Date;
}

@InputType('CreateTierInput', { description: 'A new tier.' })
export class CreateTierInput {
  @Field({
    description:
      "A lowercase DNS label, unique in the tenant. 'default', 'kube-admin', 'kube-baseline' and 'meshplane-compliance' are reserved.",
  })
  name!: string;

  @Field(() => Float, {
    nullable: true,
    description:
      "Evaluation order, lower first; omitted means last. Must be greater than 0: Meshplane's 'meshplane-compliance' tier (order 0) comes before every tenant tier.",
  })
  order?: number | null;

  @Field(() => TierDefaultAction, { nullable: true, description: 'Default Deny.' })
  defaultAction?: TierDefaultAction | null;
}

@InputType('UpdateTierInput', {
  description: 'Changes to a tier; omitted fields keep their value. The name cannot change.',
})
export class UpdateTierInput {
  @Field(() => Float, {
    nullable: true,
    description: 'New evaluation order (greater than 0); an explicit null moves the tier last.',
  })
  order?: number | null;

  @Field(() => TierDefaultAction, { nullable: true, description: 'New default action.' })
  defaultAction?: TierDefaultAction | null;
}
