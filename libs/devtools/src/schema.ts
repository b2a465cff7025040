/**
 * `npm run schema:generate`: regenerates each subgraph's SDL (services/<name>/schema.graphql) from
 * its code-first resolvers and composes the supergraph (services/gateway/supergraph.graphql).
 * `npm run schema:check`: does the same into a temporary folder and fails when anything differs
 * from what is committed. Needs a build, Postgres and Redis (each subgraph boots to print itself).
 * It then checks the console's operations against the supergraph (`schema.js operations` alone).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import {
  CONSOLE_DIR,
  checkOperations,
  generatedOperationsCurrent,
  SUPERGRAPH_PATH,
  supergraphSchema,
} from './console-operations.js';
import { CONTROL_PLANE, repoRoot } from './processes.js';

export const SUBGRAPH_NAMES = ['tenants', 'clusters', 'policies', 'telemetry'] as const;

const committedSubgraph = (name: string) => join(repoRoot, 'services', name, 'schema.graphql');
const committedSupergraph = join(repoRoot, 'services', 'gateway', 'supergraph.graphql');

async function printSubgraph(name: string, out: string): Promise<string> {
  const spec = CONTROL_PLANE.find((p) => p.name === name)!;
  const child = spawn(process.execPath, [spec.entry], {
    cwd: repoRoot,
    env: { ...process.env, MESHPLANE_SCHEMA_OUT: out, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${name} could not print its schema (exit code ${code})`);
  return readFileSync(out, 'utf8');
}

export function compose(subgraphs: Record<string, string>): string {
  const result = composeServices(
    Object.entries(subgraphs).map(([name, sdl]) => ({
      name,
      typeDefs: parse(sdl),
      // Placeholder: the gateway points each subgraph at its configured URL at run time.
      url: `http://${name}.meshplane.internal/graphql`,
    })),
  );
  if (result.errors?.length) {
    throw new Error(`supergraph composition failed:\n  ${result.errors.map((e) => e.message).join('\n  ')}`);
  }
  if (!result.supergraphSdl) throw new Error('supergraph composition produced no SDL');
  return `${result.supergraphSdl.trim()}\n`;
}

async function main(mode: string) {
  const dir = mkdtempSync(join(tmpdir(), 'meshplane-schema-'));
  const subgraphs: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES)
    subgraphs[name] = await printSubgraph(name, join(dir, `${name}.graphql`));
  const supergraph = compose(subgraphs);
  const files: Array<[string, string]> = [
    ...SUBGRAPH_NAMES.map((name): [string, string] => [committedSubgraph(name), subgraphs[name]!]),
    [committedSupergraph, supergraph],
  ];
  if (mode === 'generate') {
    for (const [path, content] of files) writeFileSync(path, content);
    console.log(`wrote ${files.length} schema files`);
    return;
  }
  const stale = files.filter(([path, content]) => {
    try {
      return readFileSync(path, 'utf8') !== content;
    } catch {
      return true;
    }
  });
  if (stale.length) {
    console.error('schema drift: these committed files differ from what the code generates:');
    for (const [path] of stale) console.error(`  ${path.slice(repoRoot.length)}`);
    console.error('run `npm run schema:generate` and commit the result');
    process.exit(1);
  }
  console.log('schemas match the code');
  checkConsoleOperations();
}

/**
 * The console's operations against the committed supergraph; `MESHPLANE_CONSOLE_OPERATIONS`
 * points the check at another folder of operations (the test that proves it fails does).
 */
function checkConsoleOperations() {
  const dir = process.env.MESHPLANE_CONSOLE_OPERATIONS ?? join(CONSOLE_DIR, 'src');
  const problems = checkOperations(supergraphSchema(readFileSync(SUPERGRAPH_PATH, 'utf8')), dir);
  if (problems.length) {
    console.error('console operations no longer match the supergraph:');
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  if (!process.env.MESHPLANE_CONSOLE_OPERATIONS) {
    const generated = generatedOperationsCurrent();
    if (!generated.ok) {
      console.error(generated.output);
      console.error(
        'services/console/src/api/generated.ts is stale: run `npm run codegen -w @meshplane/console` and commit it',
      );
      process.exit(1);
    }
  }
  console.log('console operations match the supergraph');
}

const mode = process.argv[2] ?? 'check';
if (mode === 'operations') {
  checkConsoleOperations();
  process.exit(0);
}
if (mode !== 'generate' && mode !== 'check') {
  console.error('usage: schema.js generate|check|operations');
  process.exit(2);
}
await main(mode).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
