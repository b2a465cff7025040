import pg from 'pg';

/** The server tests use; each test file gets its own database cloned from a migrated template. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
/** The migrated template of this test run (set by the global setup; one per run, so runs never collide). */
export function templateDatabase(): string {
  return process.env.MESHPLANE_TEST_TEMPLATE ?? `meshplane_test_template_${process.pid}`;
}

export function databaseUrl(name: string): string {
  return `${TEST_SERVER_URL}/${name}`;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let counter = 0;

/**
 * A fresh database for one test file, cloned from the migrated template (fast: a file copy, no
 * migrations). Drop it with the returned `drop()`.
 */
export async function createTestDatabase(): Promise<{
  name: string;
  url: string;
  drop: () => Promise<void>;
}> {
  counter += 1;
  const name = `meshplane_test_${process.pid}_${counter}_${Date.now() % 100_000}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`));
  return {
    name,
    url: databaseUrl(name),
    drop: () =>
      withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Drops test databases that runs which no longer exist left behind (a killed run cannot clean
 * up after itself). Databases of live runs — another developer's, a helper's — are left alone.
 */
export async function dropStaleTestDatabases(): Promise<void> {
  await withAdmin(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'meshplane\\_test\\_%'`,
    );
    for (const { datname } of rows) {
      const pid = Number(/_(\d+)(?:_|$)/.exec(datname)?.[1]);
      if (Number.isFinite(pid) && processAlive(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
}

export async function createTemplate(name: string): Promise<string> {
  await withAdmin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
