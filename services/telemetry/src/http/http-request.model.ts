import { HTTP_METHODS } from '@meshplane/protocol';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FlowLabel, FlowPageInfo } from '../flows/flow.model.js';

export enum HttpMethodValue {
  GET = 'GET',
  HEAD = 'HEAD',
  POST = 'POST',
  PUT = 'PUT',
  DELETE = 'DELETE',
  CONNECT = 'CONNECT',
  OPTIONS = 'OPTIONS',
  TRACE = 'TRACE',
  PATCH = 'PATCH',
}
// The protocol's methods and this enum are the same list (the compiler checks one way, this the other).
void (HTTP_METHODS satisfies readonly `${HttpMethodValue}`[]);

registerEnumType(HttpMethodValue, {
  name: 'HttpMethod',
  description: 'An HTTP request method (as Envoy logs it).',
});

@ObjectType('HttpEndpoint', {
  description: 'One end of an HTTP request: the pod holding its address, else the address.',
})
export class HttpEndpointModel {
  @Field(() => String, {
    nullable: true,
    description: "Name of the tenant's cluster whose pod holds the address; null when no single pod does.",
  })
  cluster!: string | null;

  @Field({ description: 'Namespace of the pod; empty for a bare address.' })
  namespace!: string;

  @Field({ description: 'Workload of the pod, as flows name it; the address for a bare address.' })
  workload!: string;

  @Field({ description: 'Name of the pod; the address for a bare address.' })
  name!: string;

  @Field(() => [FlowLabel], { description: 'Labels of the pod.' })
  labels!: FlowLabel[];

  @Field({ description: 'IP address Envoy saw.' })
  ip!: string;

  @Field(() => Int, { description: 'Port Envoy saw.' })
  port!: number;
}

@ObjectType('HttpRequest', {
  description:
    "An HTTP request a node-level Envoy logged to the cluster's agent (L7). Privacy by default: the path is templated (id-like segments are `{id}`), and no query string, header or body is ever stored.",
})
export class HttpRequestModel {
  @Field(() => ID, { description: 'The cluster that reported the request.' })
  clusterId!: string;

  @Field(() => Float, { description: "The agent's sequence number of the record (unique per cluster)." })
  seq!: number;

  @Field(() => Date, { description: 'When Envoy received the first byte of the request.' })
  startTime!: Date;

  @Field(() => HttpMethodValue, { description: 'Request method.' })
  method!: HttpMethodValue;

  @Field({ description: 'The `:authority` (Host) asked for.' })
  authority!: string;

  @Field({ description: 'The templated path: id-like segments as `{id}`, never a query string.' })
  path!: string;

  @Field(() => Int, { description: 'HTTP status; 0 when no response was sent.' })
  responseCode!: number;

  @Field(() => Int, { description: 'From the first request byte to the last response byte, milliseconds.' })
  durationMs!: number;

  @Field(() => Float, { description: 'Request headers and body, bytes.' })
  requestBytes!: number;

  @Field(() => Float, { description: 'Response headers and body, bytes.' })
  responseBytes!: number;

  @Field({ description: 'http1.0, http1.1, http2, http3 or unknown.' })
  protocol!: string;

  @Field(() => String, { nullable: true, description: 'The `x-request-id`, when Envoy had one.' })
  requestId!: string | null;

  @Field(() => String, { nullable: true, description: "Envoy's upstream cluster." })
  upstreamCluster!: string | null;

  @Field(() => HttpEndpointModel, { description: 'The client.' })
  source!: HttpEndpointModel;

  @Field(() => HttpEndpointModel, { description: 'The server.' })
  destination!: HttpEndpointModel;
}

@ObjectType('HttpRequestConnection', { description: 'A page of HTTP requests, newest first.' })
export class HttpRequestConnection {
  @Field(() => [HttpRequestModel], { description: 'The requests of this page.' })
  nodes!: HttpRequestModel[];

  @Field(() => FlowPageInfo, { description: 'Paging.' })
  pageInfo!: FlowPageInfo;
}

@InputType('HttpRequestFilter', {
  description: 'Narrows an HTTP request query; every field given must match.',
})
export class HttpRequestFilter {
  @Field(() => ID, { nullable: true, description: 'Only requests reported by this cluster.' })
  clusterId?: string;

  @Field({ nullable: true, description: 'Only requests with either end in this namespace.' })
  namespace?: string;

  @Field({ nullable: true, description: 'Only requests with either end in this workload.' })
  workload?: string;

  @Field(() => HttpMethodValue, { nullable: true, description: 'Only requests with this method.' })
  method?: HttpMethodValue;

  @Field(() => Int, {
    nullable: true,
    description:
      'Only responses of this status class: 1 to 5 for 1xx to 5xx, 0 for requests without a response.',
  })
  statusClass?: number;

  @Field({ nullable: true, description: 'Only templated paths starting with this, e.g. `/orders/`.' })
  pathPrefix?: string;
}
