import type { TenantInventory } from '@meshplane/events';
import {
  type Identity,
  InternalIdentityCodec,
  type Role,
  ServiceUnavailableError,
} from '@meshplane/platform';
import type { InventoryObject } from '@meshplane/protocol';
import { createTestDatabase, TEST_REDIS_URL, uniqueRedisPrefix } from '@meshplane/testing';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module.js';
import { ClustersInventoryClient } from '../src/clients/clusters-inventory.client.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read GraphQL responses loosely
export type Loose = any;

/** Stands in for the clusters service: each tenant's clusters and inventory, set by the test. */
export class FakeClustersInventory {
  readonly tenants = new Map<string, TenantInventory>();
  unavailable = false;

  set(
    tenantId: string,
    clusters: TenantInventory['clusters'],
    objects: Array<[string, InventoryObject]> = [],
  ) {
    this.tenants.set(tenantId, {
      clusters,
      objects: objects.map(([clusterId, object]) => ({ clusterId, object })),
    });
  }

  async tenantInventory(tenantId: string): Promise<TenantInventory> {
    if (this.unavailable) throw new ServiceUnavailableError('clusters service down (test)');
    return this.tenants.get(tenantId) ?? { clusters: [], objects: [] };
  }
}

export interface PoliciesTestApp {
  app: INestApplication;
  inventory: FakeClustersInventory;
  call(
    identity: Identity,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{
    data?: Record<string, Loose> | null;
    errors?: Array<{ message: string; extensions: Loose }>;
  }>;
  close(): Promise<void>;
}

const SECRET = 'policies-test-identity-secret-0123456789';

export const as = (
  tenantId: string,
  role: Role = 'editor',
  userId = '00000000-0000-4000-8000-000000000001',
): Identity => ({
  kind: 'user',
  tenantId,
  userId,
  role,
  correlationId: 'policies-test',
});

/**
 * The policies subgraph on its own database and Redis prefix (like `startSubgraphApp`), with the
 * clusters service replaced through Nest DI by {@link FakeClustersInventory}.
 */
export async function startPoliciesApp(): Promise<PoliciesTestApp> {
  const database = await createTestDatabase();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: uniqueRedisPrefix(),
    INTERNAL_IDENTITY_SECRET: SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  };
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const inventory = new FakeClustersInventory();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(ClustersInventoryClient)
    .useValue(inventory)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  const codec = new InternalIdentityCodec(SECRET);
  return {
    app,
    inventory,
    async call(identity, query, variables = {}) {
      const response = await request(app.getHttpServer())
        .post('/graphql')
        .set('x-meshplane-identity', await codec.sign(identity))
        .send({ query, variables });
      return response.body;
    },
    async close() {
      await app.close();
      await database.drop();
      for (const [key, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
