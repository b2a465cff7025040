import { migrate } from '../../../migrations/runner.js';
import { createTemplate, dropDatabase, dropStaleTestDatabases } from './database.js';

/**
 * Once per test run: a freshly migrated template database that every test file clones. Running
 * the real migrations here also proves they apply to an empty database. The template is this
 * run's own (named by its pid, passed to the workers in the environment), so concurrent runs on
 * one machine never trample each other.
 */
export default async function setup(): Promise<() => Promise<void>> {
  await dropStaleTestDatabases();
  const name = `meshplane_test_template_${process.pid}`;
  process.env.MESHPLANE_TEST_TEMPLATE = name;
  await migrate(await createTemplate(name));
  return () => dropDatabase(name);
}
