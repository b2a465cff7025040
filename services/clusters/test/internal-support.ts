import { InternalIdentityCodec } from '@meshplane/platform';
import { type SubgraphApp, startSubgraphApp } from '@meshplane/testing';
import pg from 'pg';
import request from 'supertest';
import { AppModule } from '../src/app.module.js';

const SECRET = 'clusters-test-identity-secret-0123456789';

/** The clusters app on a fresh database, a client of that database, and a caller of its internal endpoints. */
export async function startClustersInternal(path: string, defaultService: string) {
  const subgraph: SubgraphApp = await startSubgraphApp(AppModule, { identitySecret: SECRET });
  const db = new pg.Client({ connectionString: subgraph.databaseUrl });
  await db.connect();
  return {
    subgraph,
    db,
    /** POSTs `body` to `path` with the service token of `service`. */
    post: async (body: unknown, service = defaultService) => {
      const codec = new InternalIdentityCodec(SECRET, service);
      return request(subgraph.app.getHttpServer())
        .post(path)
        .set(await codec.serviceTokens.header())
        .send(body as object);
    },
    close: async () => {
      await db.end();
      await subgraph.close();
    },
  };
}
