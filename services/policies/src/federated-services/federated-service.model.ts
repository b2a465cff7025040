import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum FederationModeKind {
  ServiceSelector = 'ServiceSelector',
  ServiceExport = 'ServiceExport',
}
registerEnumType(FederationModeKind, {
  name: 'FederationMode',
  description: 'How a federated Service picks the Services it takes endpoints from.',
  valuesMap: {
    ServiceSelector: {
      description:
        "A Service without spec.selector annotated 'federation.meshplane.io/serviceSelector': every Service of its namespace, in every cluster, whose labels (plus 'meshplane.io/cluster') match.",
    },
    ServiceExport: {
      description:
        'A Service without spec.selector (and no serviceSelector) named like a Service that other clusters export with an MCS ServiceExport: it imports their endpoints.',
    },
  },
});

export enum LocalityKind {
  Local = 'Local',
  Remote = 'Remote',
}
registerEnumType(LocalityKind, {
  name: 'EndpointLocality',
  description: 'Whether endpoints live in the federated Service’s own cluster.',
  valuesMap: {
    Local: { description: 'In the same cluster: always preferred.' },
    Remote: {
      description:
        'In another cluster: load-balanced with local ones, or only used when no local endpoint is ready if the Service is annotated \'federation.meshplane.io/failover: "true"\'.',
    },
  },
});

@ObjectType('FederatedServiceMember', { description: 'A Service a federated Service takes endpoints from.' })
export class FederatedServiceMember {
  @Field(() => ID, { description: 'The cluster the member Service lives in.' })
  clusterId!: string;

  @Field({ description: 'Namespace (the federated Service’s own).' })
  namespace!: string;

  @Field({ description: 'Service name.' })
  name!: string;

  @Field(() => LocalityKind, { description: 'Local to the federated Service’s cluster, or remote.' })
  locality!: LocalityKind;

  @Field(() => [String], {
    description: 'Ready endpoint addresses (pod IPs) it contributes, on ports matching by name and protocol.',
  })
  addresses!: string[];
}

@ObjectType('FederatedService', {
  description:
    'A Service that Meshplane gives endpoints from other Services, possibly in other clusters, as EndpointSlices it writes into the Service’s cluster.',
})
export class FederatedService {
  @Field(() => ID, { description: 'The cluster the federated Service lives in.' })
  clusterId!: string;

  @Field({ description: 'Namespace.' })
  namespace!: string;

  @Field({ description: 'Service name.' })
  name!: string;

  @Field(() => FederationModeKind, { description: 'How its member Services are chosen.' })
  mode!: FederationModeKind;

  @Field(() => String, {
    nullable: true,
    description: 'The serviceSelector annotation; null for ServiceExport.',
  })
  selector!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the serviceSelector is ignored (it does not parse); null when it is fine.',
  })
  selectorError!: string | null;

  @Field({
    description: "True when remote endpoints serve only as failover ('federation.meshplane.io/failover').",
  })
  failover!: boolean;

  @Field(() => [FederatedServiceMember], {
    description: 'Its member Services and their endpoints, by cluster.',
  })
  members!: FederatedServiceMember[];

  @Field(() => [String], { description: 'Names of the EndpointSlices Meshplane writes for it.' })
  endpointSlices!: string[];

  @Field(() => Int, { description: 'Endpoints across those slices.' })
  endpointCount!: number;
}
