import { JsonValue } from '@meshplane/platform';
import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@InputType('RecommendPolicyInput', { description: 'What to recommend a policy for.' })
export class RecommendPolicyInput {
  @Field(() => ID, { description: 'The cluster.' })
  clusterId!: string;

  @Field({ description: "The namespace whose workloads' ingress the policy governs." })
  namespace!: string;

  @Field({
    nullable: true,
    description:
      'Only this workload of the namespace (the owner its pods share, as flows name it): the policy selects its pods by the stable labels they share, and governs only their ingress.',
  })
  workload?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Minutes of recorded flows to learn from, up to now; default 60, at most the retention.',
  })
  lookback?: number;
}

@ObjectType('PolicyRecommendation', { description: 'A least-privilege staged policy learnt from flows.' })
export class PolicyRecommendation {
  @Field(() => JsonValue, {
    description:
      "The policy in the policies API's CreatePolicyInput shape (NetworkPolicy, staged): pass it to createPolicy as is.",
  })
  input!: unknown;

  @Field({ description: 'Start of the flows learnt from.' })
  from!: Date;

  @Field({ description: 'End of the flows learnt from.' })
  to!: Date;

  @Field(() => Int, { description: 'Distinct kinds of allowed ingress observed.' })
  observed!: number;

  @Field(() => Int, { description: 'Ingress rules in the policy.' })
  rules!: number;

  @Field(() => Int, { description: 'Observed kinds of ingress no rule can name (no address, no labels).' })
  unattributed!: number;

  @Field({ description: 'True when more rules were needed than a policy may have (least-used left out).' })
  truncated!: boolean;
}
