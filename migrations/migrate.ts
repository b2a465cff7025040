/**
 * `npm run db:migrate`: creates the database if needed and applies pending migrations.
 * Run as its own step (a Job on Kubernetes), never on service start-up.
 */
import { ensureDatabase, migrate } from './runner.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/meshplane';

try {
  await ensureDatabase(url);
  const applied = await migrate(url, { log: (line) => console.log(line) });
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
} catch (error) {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
