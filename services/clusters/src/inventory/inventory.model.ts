import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Label } from '../clusters/cluster.model.js';

@ObjectType('PageInfo', { description: 'Where a page ends and whether more follow.' })
export class PageInfo {
  @Field({ description: 'True when another page follows.' })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;
}

@ObjectType('Endpoint', { description: "A workload endpoint (pod) from a cluster's inventory." })
export class Endpoint {
  @Field(() => ID, { description: 'Cluster the endpoint runs in.' })
  clusterId!: string;

  @Field({ description: 'Namespace.' })
  namespace!: string;

  @Field({ description: 'Pod name.' })
  name!: string;

  @Field(() => [Label], { description: 'Pod labels, sorted by key.' })
  labels!: Label[];

  @Field(() => [String], { description: 'Pod IPs.' })
  ips!: string[];

  @Field({ description: 'Node the pod runs on (empty while unscheduled).' })
  nodeName!: string;

  @Field({ description: 'Service account the pod runs as.' })
  serviceAccount!: string;

  @Field({ description: "The pod's Ready condition." })
  ready!: boolean;
}

@ObjectType('EndpointConnection', { description: 'A page of endpoints.' })
export class EndpointConnection {
  @Field(() => [Endpoint], { description: 'The endpoints of this page.' })
  nodes!: Endpoint[];

  @Field(() => PageInfo, { description: 'Paging.' })
  pageInfo!: PageInfo;
}

@ObjectType('ServicePort', { description: 'A port of a Kubernetes Service.' })
export class ServicePortModel {
  @Field(() => String, { nullable: true, description: 'Port name.' })
  name!: string | null;

  @Field(() => Int, { description: 'Port number.' })
  port!: number;

  @Field({ description: 'TCP, UDP or SCTP.' })
  protocol!: string;
}

@ObjectType('ClusterService', { description: "A Kubernetes Service from a cluster's inventory." })
export class ClusterService {
  @Field(() => ID, { description: 'Cluster the service is in.' })
  clusterId!: string;

  @Field({ description: 'Namespace.' })
  namespace!: string;

  @Field({ description: 'Service name.' })
  name!: string;

  @Field(() => [Label], { description: 'Service labels.' })
  labels!: Label[];

  @Field(() => [ServicePortModel], { description: 'Ports.' })
  ports!: ServicePortModel[];

  @Field(() => [Label], { nullable: true, description: 'Pod selector; null for a selector-less Service.' })
  selector!: Label[] | null;

  @Field(() => [String], { description: 'Cluster IPs.' })
  clusterIPs!: string[];
}

@ObjectType('ClusterServiceConnection', { description: 'A page of services.' })
export class ClusterServiceConnection {
  @Field(() => [ClusterService], { description: 'The services of this page.' })
  nodes!: ClusterService[];

  @Field(() => PageInfo, { description: 'Paging.' })
  pageInfo!: PageInfo;
}
