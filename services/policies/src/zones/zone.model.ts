import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('ComplianceIsolation', {
  description: 'Which clusters outside a compliance zone its clusters may still exchange traffic with.',
})
export class ComplianceIsolation {
  @Field(() => [String], {
    description:
      "Names of other zones whose clusters this zone's clusters may exchange traffic with; empty: none (strict isolation).",
  })
  allowedZones!: string[];
}

@ObjectType('ComplianceZone', {
  description:
    "A group of clusters that never exchange traffic with clusters outside it (except the clusters of the zones it allows), enforced in Meshplane's 'meshplane-compliance' tier, which is evaluated before every tenant tier. When several zones apply, the most restrictive wins: traffic flows only where every zone involved allows it.",
})
export class ComplianceZone {
  @Field(() => ID, { description: 'Zone id.' })
  id!: string;

  @Field({ description: 'Zone name: a lowercase DNS label, unique in the tenant, immutable.' })
  name!: string;

  @Field({
    description:
      "Calico selector over cluster labels plus 'meshplane.io/cluster' (the cluster's name) picking the zone's clusters.",
  })
  clusterSelector!: string;

  @Field(() => ComplianceIsolation, { description: 'Which other zones the zone may exchange traffic with.' })
  isolation!: ComplianceIsolation;

  @Field({ description: 'When the zone was created.' })
  createdAt!: Date;

  @Field({ description: 'When the zone was last changed.' })
  updatedAt!: Date;
}

@ObjectType('ComplianceZoneChange', { description: 'The outcome of a compliance zone mutation.' })
export class ComplianceZoneChange {
  @Field(() => ID, { description: 'The zone changed.' })
  zoneId!: string;

  @Field(() => ID, {
    description: 'Identifies this change in the config bundles it is compiled into (rollout status).',
  })
  changeId!: string;

  @Field(() => ComplianceZone, { nullable: true, description: 'The zone as it is now; null once deleted.' })
  zone!: ComplianceZone | null;
}

@InputType('ComplianceIsolationInput', { description: 'Which other zones a zone may exchange traffic with.' })
export class ComplianceIsolationInput {
  @Field(() => [String], {
    description: 'Names of other existing zones of the tenant (at most 50); empty for strict isolation.',
  })
  allowedZones!: string[];
}

@InputType('CreateComplianceZoneInput', { description: 'A new compliance zone.' })
export class CreateComplianceZoneInput {
  @Field({ description: 'A lowercase DNS label (at most 63 characters), unique in the tenant.' })
  name!: string;

  @Field({
    description: "Calico selector over cluster labels plus 'meshplane.io/cluster', e.g. \"geo == 'eu'\".",
  })
  clusterSelector!: string;

  @Field(() => ComplianceIsolationInput, {
    nullable: true,
    description: 'Zones the new zone may exchange traffic with; omitted: none (strict isolation).',
  })
  isolation?: ComplianceIsolationInput | null;
}

@InputType('UpdateComplianceZoneInput', {
  description: 'Changes to a compliance zone; omitted fields keep their value. The name cannot change.',
})
export class UpdateComplianceZoneInput {
  @Field(() => String, { nullable: true, description: 'New cluster selector.' })
  clusterSelector?: string | null;

  @Field(() => ComplianceIsolationInput, { nullable: true, description: 'New isolation.' })
  isolation?: ComplianceIsolationInput | null;
}
