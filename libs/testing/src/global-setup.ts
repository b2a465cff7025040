import { migrate } from '../../../migrations/runner.js';
import { dropStaleTestDatabases, recreateTemplate } from './database.js';

/**
 * Once per test run: a freshly migrated template database that every test file clones. Running
 * the real migrations here also proves they apply to an empty database.
 */
export default async function setup(): Promise<void> {
  await dropStaleTestDatabases();
  const url = await recreateTemplate();
  await migrate(url);
}
