/**
 * The console's GraphQL operations (services/console/src/**\/*.graphql) checked against the
 * committed supergraph — part of `npm run schema:check`, so a schema change that breaks a
 * console page fails CI, not the browser. Also checks that the generated typed operations
 * (services/console/src/api/generated.ts) are what codegen makes of them now.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildASTSchema, type GraphQLSchema, parse, Source, validate } from 'graphql';
import { repoRoot } from './processes.js';

export const CONSOLE_DIR = join(repoRoot, 'services', 'console');
export const SUPERGRAPH_PATH = join(repoRoot, 'services', 'gateway', 'supergraph.graphql');

function* graphqlFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* graphqlFiles(path);
    else if (name.endsWith('.graphql')) yield path;
  }
}

export function supergraphSchema(sdl: string): GraphQLSchema {
  return buildASTSchema(parse(sdl), { assumeValidSDL: true });
}

/** Every problem of the operations under `dir` as `file:line:column message`; empty when all validate. */
export function checkOperations(schema: GraphQLSchema, dir: string): string[] {
  const problems: string[] = [];
  const files = [...graphqlFiles(dir)];
  if (files.length === 0) return [`${relative(repoRoot, dir)}: no .graphql operations found`];
  for (const file of files) {
    const name = relative(repoRoot, file);
    let document: ReturnType<typeof parse>;
    try {
      document = parse(new Source(readFileSync(file, 'utf8'), name));
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    for (const error of validate(schema, document)) {
      const where = error.locations?.[0];
      problems.push(`${name}${where ? `:${where.line}:${where.column}` : ''} ${error.message}`);
    }
  }
  return problems;
}

/** Whether generated.ts is what graphql-codegen makes of the operations now (its --check mode). */
export function generatedOperationsCurrent(consoleDir = CONSOLE_DIR): { ok: boolean; output: string } {
  const codegen = join(repoRoot, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js');
  const result = spawnSync(process.execPath, [codegen, '--config', 'codegen.ts', '--check'], {
    cwd: consoleDir,
    encoding: 'utf8',
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}
