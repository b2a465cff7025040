import { JsonValue } from '@meshplane/platform';
import { Directive, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

/** The part of the policies subgraph's `ChangeSetPlan` this subgraph extends with `whatIf`. */
@ObjectType('ChangeSetPlan', {
  description: 'What applying a change set would do, computed against one revision.',
})
@Directive('@key(fields: "id")')
export class ChangeSetPlanWhatIfOwner {
  @Field(() => ID, { description: 'The plan, for `applyChangeSet`.' })
  id!: string;

  @Directive('@external')
  @Field(() => [JsonValue], {
    description:
      "The plan's policy changes in the shape of `whatIf(input: {changes})` (tier changes have no what-if form); `ChangeSetPlan.whatIf` evaluates them.",
  })
  whatIfChanges!: unknown[];
}

@InputType('ChangeSetWhatIfInput', { description: 'The recorded flows to try a plan on.' })
export class ChangeSetWhatIfInput {
  @Field({ description: 'Flows starting at or after this time.' })
  from!: Date;

  @Field({ description: 'Flows starting before this time.' })
  to!: Date;

  @Field(() => Int, { nullable: true, description: 'Changed flows to list, 1 to 1000, default 100.' })
  first?: number;

  @Field(() => ID, { nullable: true, description: 'Only flows this cluster reported.' })
  clusterId?: string;

  @Field({ nullable: true, description: 'Only flows with an end (source or destination) in this namespace.' })
  namespace?: string;
}
