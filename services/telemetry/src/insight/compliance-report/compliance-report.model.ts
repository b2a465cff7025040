import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { FlowModel } from '../../flows/flow.model.js';

@ObjectType('ComplianceZoneRef', { description: 'A compliance zone as the report saw it.' })
export class ComplianceZoneRef {
  @Field(() => ID, { description: 'Zone id.' })
  id!: string;

  @Field({ description: 'Zone name.' })
  name!: string;

  @Field(() => [String], { description: 'Member clusters.' })
  members!: string[];

  @Field(() => [[String]], { description: 'Cluster pairs the zone forbids to talk.' })
  forbiddenPairs!: string[][];
}

@ObjectType('ComplianceViolation', { description: 'An allowed flow between clusters the zone separates.' })
export class ComplianceViolation {
  @Field(() => FlowModel, { description: 'The recorded flow (its policy trace is the evidence).' })
  flow!: FlowModel;

  @Field({ description: 'True when the current policy set denies such a flow (the violation is fixed).' })
  deniedNow!: boolean;

  @Field(() => [String], { description: 'How the current policy set decides it.' })
  currentTrace!: string[];
}

@ObjectType('ComplianceReport', { description: 'Flows that violated a compliance zone in a window.' })
export class ComplianceReport {
  @Field(() => ComplianceZoneRef, { description: 'The zone.' })
  zone!: ComplianceZoneRef;

  @Field({ description: 'Start of the window.' })
  from!: Date;

  @Field({ description: 'End of the window.' })
  to!: Date;

  @Field(() => Int, { description: 'Allowed flows between forbidden pairs (violations).' })
  violations!: number;

  @Field(() => Int, { description: 'Denied flows between forbidden pairs (blocked attempts).' })
  blocked!: number;

  @Field(() => [ComplianceViolation], { description: 'The violations, newest first (up to 1000).' })
  evidence!: ComplianceViolation[];

  @Field({ description: 'The evidence as CSV (header line first).' })
  csv!: string;
}
