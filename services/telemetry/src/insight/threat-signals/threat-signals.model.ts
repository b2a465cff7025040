import { Field, Float, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('DeniedFlowSpike', {
  description:
    'A minute in which a workload had far more denied flows than usual: at least 10, and at least 4× its average per minute over the 15 minutes before (minutes without denied flows count as 0).',
})
export class DeniedFlowSpike {
  @Field({ description: 'The minute.' })
  minute!: Date;

  @Field({ description: 'source: the workload sent the denied flows; destination: it was their target.' })
  role!: string;

  @Field(() => String, { nullable: true, description: 'Cluster of the workload.' })
  cluster!: string | null;

  @Field({ description: 'Namespace of the workload.' })
  namespace!: string;

  @Field({ description: 'The workload.' })
  workload!: string;

  @Field(() => Float, { description: 'Denied flows in the minute.' })
  deniedFlows!: number;

  @Field(() => Float, { description: 'Average denied flows per minute over the 15 minutes before.' })
  baseline!: number;
}

@ObjectType('ZoneCrossing', {
  description: 'Allowed traffic between two clusters a compliance zone separates (a violation).',
})
export class ZoneCrossing {
  @Field(() => ID, { description: 'The compliance zone.' })
  zoneId!: string;

  @Field({ description: 'Name of the zone.' })
  zone!: string;

  @Field({ description: 'Source cluster.' })
  sourceCluster!: string;

  @Field({ description: 'Destination cluster.' })
  destinationCluster!: string;

  @Field(() => Float, { description: 'Allowed flow records.' })
  flows!: number;

  @Field(() => Float, { description: 'Bytes, both directions.' })
  bytes!: number;

  @Field({ description: 'First minute seen.' })
  firstSeen!: Date;

  @Field({ description: 'Last minute seen.' })
  lastSeen!: Date;
}

@ObjectType('HttpEdgeEnd', {
  description: 'One end of an HTTP edge: a workload, or an address no pod holds.',
})
export class HttpEdgeEnd {
  @Field(() => String, { nullable: true, description: 'Cluster of the workload; null for a bare address.' })
  cluster!: string | null;

  @Field({ description: 'Namespace of the workload; empty for a bare address.' })
  namespace!: string;

  @Field({ description: 'The workload, or the address.' })
  workload!: string;
}

@ObjectType('ServerErrorSpike', {
  description:
    'A minute in which an HTTP edge had far more 5xx answers than usual: at least 10, and at least 4× its average per minute over the 15 minutes before (minutes without any count as 0).',
})
export class ServerErrorSpike {
  @Field({ description: 'The minute.' })
  minute!: Date;

  @Field(() => HttpEdgeEnd, { description: 'The client workload.' })
  source!: HttpEdgeEnd;

  @Field(() => HttpEdgeEnd, { description: 'The server workload.' })
  destination!: HttpEdgeEnd;

  @Field(() => Float, { description: '5xx answers in the minute.' })
  serverErrors!: number;

  @Field(() => Float, { description: 'Requests in the minute.' })
  requests!: number;

  @Field(() => Float, { description: 'Average 5xx answers per minute over the 15 minutes before.' })
  baseline!: number;
}

@ObjectType('NewHttpPath', {
  description:
    'A templated path first requested on an HTTP edge within the window, on an edge that had requests before it (within retention).',
})
export class NewHttpPath {
  @Field(() => HttpEdgeEnd, { description: 'The client workload.' })
  source!: HttpEdgeEnd;

  @Field(() => HttpEdgeEnd, { description: 'The server workload.' })
  destination!: HttpEdgeEnd;

  @Field({ description: 'The method.' })
  method!: string;

  @Field({ description: 'The templated path.' })
  path!: string;

  @Field({ description: 'When it was first requested.' })
  firstSeen!: Date;

  @Field(() => Float, { description: 'Requests to it in the window.' })
  requests!: number;
}

@ObjectType('ThreatSignals', { description: 'Signals worth a look in a time window.' })
export class ThreatSignals {
  @Field(() => [DeniedFlowSpike], { description: 'Spikes of denied flows per workload, newest first.' })
  deniedSpikes!: DeniedFlowSpike[];

  @Field(() => [ZoneCrossing], { description: 'Allowed flows across compliance zones, most first.' })
  zoneCrossings!: ZoneCrossing[];

  @Field(() => [ServerErrorSpike], { description: 'Spikes of 5xx answers per HTTP edge, newest first.' })
  serverErrorSpikes!: ServerErrorSpike[];

  @Field(() => [NewHttpPath], {
    description: 'Paths never requested before on their HTTP edge, newest first.',
  })
  newHttpPaths!: NewHttpPath[];
}
