import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONSOLE_DIR,
  checkOperations,
  generatedOperationsCurrent,
  SUPERGRAPH_PATH,
  supergraphSchema,
} from './console-operations.js';
import { repoRoot } from './processes.js';

const schema = supergraphSchema(readFileSync(SUPERGRAPH_PATH, 'utf8'));

function operationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshplane-console-ops-'));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return dir;
}

describe('console operations against the committed supergraph (schema:check)', () => {
  it("the console's committed operations all validate", () => {
    expect(checkOperations(schema, join(CONSOLE_DIR, 'src'))).toEqual([]);
  });

  it('names the file, line and field of an operation that no longer matches', () => {
    const dir = operationsDir({
      'clusters.graphql': 'query Clusters {\n  clusters {\n    id\n    colour\n  }\n}\n',
      'register.graphql':
        'mutation Register($input: RegisterClusterInput!) { registerCluster(input: $input) { installCommand token } }',
      'revoke.graphql': 'mutation Revoke($id: String!) { revokeCluster(id: $id) { id } }',
    });
    const problems = checkOperations(schema, dir);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/clusters\.graphql:4:5 Cannot query field "colour" on type "Cluster"/);
    expect(problems[1]).toMatch(
      /register\.graphql:1:\d+ Cannot query field "token" on type "RegisterClusterPayload"/,
    );
    expect(problems[2]).toMatch(
      /revoke\.graphql:1:\d+ Variable "\$id" of type "String!" used in position expecting type "ID!"/,
    );
  });

  it('a folder without operations is a failure, not a pass', () => {
    expect(checkOperations(schema, operationsDir({}))).toEqual([
      expect.stringMatching(/no .graphql operations/),
    ]);
  });

  it('`schema.js operations` (run by npm run schema:check) exits non-zero on a bad operation', () => {
    const run = (dir: string) =>
      spawnSync(process.execPath, ['libs/devtools/dist/schema.js', 'operations'], {
        cwd: repoRoot,
        env: { ...process.env, MESHPLANE_CONSOLE_OPERATIONS: dir },
        encoding: 'utf8',
      });
    const bad = run(operationsDir({ 'bad.graphql': 'query { clusters { colour } }' }));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/console operations no longer match the supergraph[\s\S]*"colour"/);
    const good = run(join(CONSOLE_DIR, 'src'));
    expect([good.status, good.stdout.trim()]).toEqual([0, 'console operations match the supergraph']);
  });

  it('finds generated.ts stale when an operation changed and codegen was not run', () => {
    // A copy of the console's codegen set-up beside a copy of the supergraph, as in the repo
    // (node_modules linked, so codegen finds its plugins).
    const root = mkdtempSync(join(tmpdir(), 'meshplane-console-codegen-'));
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
    mkdirSync(join(root, 'gateway'));
    mkdirSync(join(root, 'console', 'src', 'api'), { recursive: true });
    copyFileSync(SUPERGRAPH_PATH, join(root, 'gateway', 'supergraph.graphql'));
    copyFileSync(join(CONSOLE_DIR, 'codegen.ts'), join(root, 'console', 'codegen.ts'));
    const generated = join(CONSOLE_DIR, 'src', 'api', 'generated.ts');
    copyFileSync(generated, join(root, 'console', 'src', 'api', 'generated.ts'));
    // Every operation of the console, at its place (generated.ts is made from all of them).
    const source = join(CONSOLE_DIR, 'src');
    for (const file of readdirSync(source, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.graphql')) continue;
      mkdirSync(dirname(join(root, 'console', 'src', file)), { recursive: true });
      copyFileSync(join(source, file), join(root, 'console', 'src', file));
    }
    expect(generatedOperationsCurrent(join(root, 'console')).ok).toBe(true);
    writeFileSync(join(root, 'console', 'src', 'extra.graphql'), 'query Extra { me { role } }');
    const stale = generatedOperationsCurrent(join(root, 'console'));
    expect(stale.ok).toBe(false);
    expect(stale.output).toMatch(/stale files were detected[\s\S]*src\/api\/generated\.ts/);
    rmSync(root, { recursive: true, force: true });
  });
});
