import { randomUUID } from 'node:crypto';
import type { TelemetryJob } from '@meshplane/events';
import {
  createDataSource,
  InternalIdentityCodec,
  type Logger,
  type Metrics,
  TenantDb,
} from '@meshplane/platform';
import type { FlowEndpoint, FlowRecord } from '@meshplane/protocol';
import { type SubgraphApp, startSubgraphApp } from '@meshplane/testing';
import { Registry } from 'prom-client';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import type { TelemetryConfig } from '../src/config.js';
import { telemetryEntities } from '../src/entities.js';
import { FlowIngestService } from '../src/flows/flow-ingest.service.js';
import { FlowPartitions } from '../src/flows/flow-partitions.js';
import type { PeerResolver } from '../src/flows/peer-directory.js';
import { TelemetrySettingsService } from '../src/settings/telemetry-settings.service.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read GraphQL responses loosely
export type Loose = any;

export const silentLogger = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;

/** The telemetry subgraph on its own database, and the worker's ingest path writing into it. */
export interface TelemetryHarness {
  subgraph: SubgraphApp;
  dataSource: DataSource;
  partitions: FlowPartitions;
  ingest: FlowIngestService;
  /** A GraphQL request as a viewer of the tenant, with the signed identity the gateway sends. */
  gql(
    tenantId: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: Loose; errors?: Loose[] }>;
  close(): Promise<void>;
}

/**
 * Starts the subgraph (a database cloned from the migrated template) and an ingest service over
 * the same database, with the peer resolver the test gives (built from the worker's config).
 */
export async function startTelemetry(options: {
  secret: string;
  peers: (config: TelemetryConfig) => PeerResolver;
  env?: Record<string, string>;
}): Promise<TelemetryHarness> {
  const subgraph = await startSubgraphApp(AppModule, {
    identitySecret: options.secret,
    ...(options.env ? { env: options.env } : {}),
  });
  const dataSource = await createDataSource({
    url: subgraph.databaseUrl,
    schema: 'telemetry',
    entities: telemetryEntities,
  }).initialize();
  const db = new TenantDb(dataSource);
  const config = { DEFAULT_RETENTION_DAYS: 7 } as TelemetryConfig;
  const partitions = new FlowPartitions(db, config, silentLogger);
  const ingest = new FlowIngestService(
    db,
    partitions,
    new TelemetrySettingsService(db, config),
    options.peers(config),
    config,
    silentLogger,
    { registry: new Registry() } as unknown as Metrics,
  );
  const codec = new InternalIdentityCodec(options.secret);
  return {
    subgraph,
    dataSource,
    partitions,
    ingest,
    async gql(tenantId, query, variables = {}) {
      const identity = await codec.sign({
        kind: 'user',
        tenantId,
        userId: randomUUID(),
        role: 'viewer',
        correlationId: 'telemetry-test',
      });
      const response = await request(subgraph.app.getHttpServer())
        .post('/graphql')
        .set('x-meshplane-identity', identity)
        .send({ query, variables });
      return response.body as { data?: Loose; errors?: Loose[] };
    },
    async close() {
      await dataSource.destroy();
      await subgraph.close();
    },
  };
}

/** A pulled batch of one cluster, as the hub queues it. */
export function telemetryJob(
  tenantId: string,
  cluster: { id: string; name: string },
  records: FlowRecord[],
  overrides: Partial<TelemetryJob> = {},
): TelemetryJob {
  return {
    tenantId,
    clusterId: cluster.id,
    clusterName: cluster.name,
    epoch: 1,
    fromSeq: records[0]?.seq ?? 1,
    toSeq: records.at(-1)?.seq ?? 0,
    dropped: 0,
    records,
    ...overrides,
  };
}

/** How a cluster's own flows name its pods of one ReplicaSet: Calico's aggregated `<rs>-*`. */
export function podsOf(
  workload: string,
  templateHash: string,
  ip: string,
  extra: Partial<FlowEndpoint> & { app?: string } = {},
): FlowEndpoint {
  const { app = workload, ...rest } = extra;
  return {
    name: `${workload}-${templateHash}-*`,
    namespace: 'shop',
    type: 'wep',
    labels: { app, 'pod-template-hash': templateHash },
    ip,
    ...rest,
  };
}

/** A flow record between two ends, allowed unless told otherwise, 1,500 bytes in 15 packets. */
export function flowRecord(
  seq: number,
  startTime: number,
  source: FlowEndpoint,
  destination: FlowEndpoint,
  extra: Partial<FlowRecord> = {},
): FlowRecord {
  return {
    seq,
    startTime,
    endTime: startTime + 10,
    source,
    destination,
    protocol: 'tcp',
    reporter: 'src',
    action: 'allow',
    policies: [],
    bytesIn: 1_000,
    bytesOut: 500,
    packetsIn: 10,
    packetsOut: 5,
    connectionsStarted: 1,
    connectionsCompleted: 1,
    ...extra,
  };
}
