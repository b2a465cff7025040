import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('TelemetrySettings', { description: "The tenant's telemetry settings." })
export class TelemetrySettings {
  @Field(() => Int, { description: 'Days flow records are kept before their partitions are dropped.' })
  retentionDays!: number;

  @Field({ description: 'False while the tenant uses the defaults.' })
  customised!: boolean;
}
