import type { ConfigObject } from './config-object.js';
import type { FlowRecord } from './flow-record.js';
import type { HttpRequestRecord } from './http-request-record.js';
import type { InventoryObject } from './inventory-object.js';
import type { MessageOf, MessageType } from './messages.js';

/**
 * One valid example of every inventory kind and message type, for tests here and in the
 * agent and the hub. Every field, optional ones included, is filled in.
 */

export const SAMPLE_INVENTORY_OBJECTS: InventoryObject[] = [
  { kind: 'namespace', name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop', env: 'prod' } },
  {
    kind: 'pod',
    namespace: 'shop',
    name: 'cart-7d9f8-abcde',
    uid: '0b7c2d4e-1f3a-4c5b-9d8e-7f6a5b4c3d2e',
    labels: { app: 'cart', 'pod-template-hash': '7d9f8' },
    ips: ['10.244.1.17', 'fd00:10:244:1::11'],
    nodeName: 'worker-1',
    serviceAccount: 'cart',
    ready: true,
    phase: 'Running',
    ownerKind: 'ReplicaSet',
    ownerName: 'cart-7d9f8',
  },
  {
    kind: 'service',
    namespace: 'shop',
    name: 'cart',
    labels: { app: 'cart' },
    annotations: { 'federation.meshplane.io/serviceSelector': "app == 'cart'" },
    selector: { app: 'cart' },
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    clusterIPs: ['10.96.0.20'],
    type: 'ClusterIP',
  },
  {
    kind: 'endpointslice',
    namespace: 'shop',
    name: 'cart-x7k2p',
    service: 'cart',
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: ['10.244.1.17'],
        ready: true,
        nodeName: 'worker-1',
        targetRef: { kind: 'Pod', namespace: 'shop', name: 'cart-7d9f8-abcde', uid: 'u-1' },
      },
    ],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP', appProtocol: 'http' }],
  },
  {
    kind: 'node',
    name: 'worker-1',
    labels: { 'kubernetes.io/hostname': 'worker-1', 'topology.kubernetes.io/zone': 'eu-west-1a' },
    annotations: { 'projectcalico.org/WireguardPublicKey': 'jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgY=' },
    internalIPs: ['192.168.1.11'],
  },
  { kind: 'serviceaccount', namespace: 'shop', name: 'cart', labels: {} },
  {
    kind: 'hostendpoint',
    name: 'worker-1-eth0',
    labels: { 'host-endpoint': 'ingress' },
    node: 'worker-1',
    expectedIPs: ['192.168.1.11'],
    interfaceName: 'eth0',
  },
  { kind: 'serviceexport', namespace: 'shop', name: 'cart' },
];

/** An L7 record as the agent's Envoy access-log service makes it. */
export const SAMPLE_HTTP_REQUEST_RECORD: HttpRequestRecord = {
  seq: 7,
  startTime: 1_767_225_600_250,
  method: 'GET',
  authority: 'api.shop.svc:8080',
  path: '/orders/{id}',
  responseCode: 200,
  durationMs: 42,
  requestBytes: 150,
  responseBytes: 1_080,
  protocol: 'http1.1',
  requestId: '2f7c1c7e-5d0e-4a1b-9e61-8b2c0c1f9a11',
  upstreamCluster: 'shop/api',
  source: { ip: '10.0.1.5', port: 43_512 },
  destination: { ip: '10.0.2.9', port: 8080 },
};

export const SAMPLE_FLOW_RECORD: FlowRecord = {
  seq: 42,
  startTime: 1_767_225_600,
  endTime: 1_767_225_615,
  source: {
    name: 'frontend-5c6d7-*',
    namespace: 'shop',
    type: 'wep',
    labels: { app: 'frontend' },
    ip: '10.244.2.9',
    port: 51_234,
    serviceAccount: 'frontend',
  },
  destination: {
    name: 'cart-7d9f8-*',
    namespace: 'shop',
    type: 'wep',
    labels: { app: 'cart' },
    ip: '10.244.1.17',
    port: 8080,
    serviceAccount: 'cart',
  },
  destService: { namespace: 'shop', name: 'cart', portName: 'http', port: 80 },
  protocol: 'tcp',
  reporter: 'dst',
  action: 'allow',
  policies: [
    {
      tier: 'default',
      name: 'default.allow-frontend',
      namespace: 'shop',
      kind: 'CalicoNetworkPolicy',
      action: 'allow',
      policyIndex: 0,
      ruleIndex: 0,
    },
    { tier: 'security', name: 'security.audit-egress', action: 'deny', ruleIndex: -1, staged: true },
  ],
  bytesIn: 5_120,
  bytesOut: 20_480,
  packetsIn: 40,
  packetsOut: 38,
  connectionsStarted: 3,
  connectionsCompleted: 2,
  connectionsLive: 1,
};

const globalNetworkSet: ConfigObject = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'GlobalNetworkSet',
  metadata: {
    name: 'meshplane.cluster-b.cart',
    labels: { 'app.kubernetes.io/managed-by': 'meshplane', 'meshplane.io/cluster': 'cluster-b', app: 'cart' },
  },
  spec: { nets: ['10.245.1.17/32'] },
};

export const SAMPLE_MESSAGES: { [T in MessageType]: MessageOf<T> } = {
  hello: {
    type: 'hello',
    id: 'h-1',
    protocols: [1],
    credential: 'mpa_0123456789abcdef',
    agent: { version: '0.1.0', capabilities: ['inventory', 'config', 'telemetry.goldmane'] },
    cluster: {
      kubernetesVersion: 'v1.33.1',
      nodeCount: 3,
      calicoVersion: 'v3.30.2',
      calicoKinds: ['GlobalNetworkPolicy', 'NetworkPolicy', 'StagedNetworkPolicy', 'Tier'],
    },
    lastAppliedConfigVersion: 6,
    telemetryCursor: 41,
    httpTelemetryCursor: 6,
  },
  welcome: {
    type: 'welcome',
    id: 'w-1',
    protocol: 1,
    clusterId: 'c-7f3a',
    tenantId: 't-12ab',
    sessionId: 's-0001',
    heartbeatIntervalMs: 5_000,
    maxFrameBytes: 4 * 1024 * 1024,
    desiredConfigVersion: 7,
    telemetryCursor: 41,
    httpTelemetryCursor: 6,
  },
  ping: { type: 'ping', id: 'p-1', nonce: 'n-1', sentAt: 1_767_225_600_000 },
  pong: { type: 'pong', id: 'p-2', nonce: 'n-1', sentAt: 1_767_225_600_000 },
  'inventory.snapshot': {
    type: 'inventory.snapshot',
    id: 'is-1',
    snapshotId: 'snap-1',
    part: 0,
    lastPart: true,
    objects: SAMPLE_INVENTORY_OBJECTS,
    resourceVersion: '123456',
  },
  'inventory.delta': {
    type: 'inventory.delta',
    id: 'id-1',
    seq: 1,
    changes: [
      { op: 'upsert', object: SAMPLE_INVENTORY_OBJECTS[1]! },
      { op: 'delete', object: { kind: 'pod', namespace: 'shop', name: 'cart-7d9f8-zzzzz' } },
    ],
  },
  'config.push': {
    type: 'config.push',
    id: 'cp-1',
    version: 7,
    mode: 'diff',
    baseVersion: 6,
    upserts: [globalNetworkSet],
    deletes: [
      { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkSet', name: 'meshplane.cluster-b.old' },
    ],
  },
  'config.result': {
    type: 'config.result',
    id: 'cr-1',
    version: 7,
    outcomes: [
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'GlobalNetworkSet',
        name: 'meshplane.cluster-b.cart',
        result: 'applied',
      },
      {
        kind: 'NetworkPolicy',
        namespace: 'shop',
        name: 'default.deny',
        result: 'failed',
        message: 'tier "default" not found',
      },
    ],
  },
  'telemetry.pull': { type: 'telemetry.pull', id: 'tp-1', after: 41, max: 500 },
  'telemetry.batch': {
    type: 'telemetry.batch',
    id: 'tb-1',
    fromSeq: 42,
    toSeq: 42,
    records: [SAMPLE_FLOW_RECORD],
    dropped: 0,
  },
  'telemetry.ack': { type: 'telemetry.ack', id: 'ta-1', upToSeq: 42 },
  'telemetry.http.pull': { type: 'telemetry.http.pull', id: 'thp-1', after: 6, max: 500 },
  'telemetry.http.batch': {
    type: 'telemetry.http.batch',
    id: 'thb-1',
    fromSeq: 7,
    toSeq: 7,
    records: [SAMPLE_HTTP_REQUEST_RECORD],
    dropped: 0,
  },
  'telemetry.http.ack': { type: 'telemetry.http.ack', id: 'tha-1', upToSeq: 7 },
  error: {
    type: 'error',
    id: 'e-1',
    code: 'invalid_message',
    message: 'hello.agent.version: expected string',
    ref: 'h-1',
  },
  goodbye: {
    type: 'goodbye',
    id: 'g-1',
    reason: 'superseded',
    message: 'a newer session of this cluster connected',
  },
};

/** A full `config.push`, the other shape of that message. */
export const SAMPLE_FULL_CONFIG_PUSH: MessageOf<'config.push'> = {
  type: 'config.push',
  id: 'cp-2',
  version: 8,
  mode: 'full',
  objects: [globalNetworkSet],
};
