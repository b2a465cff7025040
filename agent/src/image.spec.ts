/**
 * What ships into customer clusters: the agent image installs exactly the locked packages, the
 * SBOM lists exactly those, and the agent's package.json names every package it imports.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, matchesGlob } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ids, installedPackages, readLockfile, runtimeClosure } from './spec-support/lockfile.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'node_modules/.bin');

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages, each with its instructions (continuation lines joined, comments out). */
async function dockerfileStages(): Promise<Stage[]> {
  const text = await readFile(join(ROOT, 'agent/Dockerfile'), 'utf8');
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? `stage-${stages.length}`, instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const copies = (stage: Stage) =>
  stage.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args.split(/\s+/));
const npmCommands = (stage: Stage) =>
  runs(stage).flatMap((run) =>
    run
      .split(/&&|;/)
      .map((command) => command.trim())
      .filter((c) => /^np[mx]\s/.test(c)),
  );

/**
 * The stage the final stage takes more than built output (`.../dist`) from: its node_modules. There
 * must be one, and it must run `npm ci`.
 */
function runtimeDepsStage(stages: Stage[]): Stage {
  const final = stages.at(-1)!;
  const names = new Set<string>();
  for (const args of copies(final)) {
    const from = /^--from=(\S+)$/.exec(args[0] ?? '')?.[1];
    if (from !== undefined && args.slice(1, -1).some((source) => !source.endsWith('/dist'))) names.add(from);
  }
  expect([...names]).toHaveLength(1);
  const stage = stages.find((s) => names.has(s.name));
  expect(npmCommands(stage!).some((c) => /^npm ci\s/.test(c))).toBe(true);
  return stage!;
}

/**
 * Bare module specifiers imported by what a project builds: the files its tsconfig.json includes
 * and does not exclude (specs, fixtures and spec-support stay out of the image).
 */
async function importedPackages(project: string): Promise<Set<string>> {
  const tsconfig = JSON.parse(await readFile(join(ROOT, project, 'tsconfig.json'), 'utf8')) as {
    include: string[];
    exclude?: string[];
  };
  const built = (file: string) =>
    tsconfig.include.some((pattern) => matchesGlob(file, pattern)) &&
    !(tsconfig.exclude ?? []).some((pattern) => matchesGlob(file, pattern));
  const files = (await readdir(join(ROOT, project), { recursive: true })).filter(
    (file) => !file.startsWith('dist') && !file.startsWith('node_modules') && built(file),
  );
  expect(files.length).toBeGreaterThan(0);
  const found = new Set<string>();
  for (const file of files) {
    const text = await readFile(join(ROOT, project, file), 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^'.][^']*)'/g)) {
      const specifier = match[1]!;
      if (specifier.startsWith('node:')) continue;
      const parts = specifier.split('/');
      found.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return found;
}

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('agent image: installed from package-lock.json', () => {
  it('installs with npm ci only: never npm install, --no-package-lock or a version range', async () => {
    const stages = await dockerfileStages();
    const commands = stages.flatMap(npmCommands);
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) {
      expect(command).toMatch(/^npm ci\s/);
      expect(command).not.toMatch(/--no-package-lock|--no-save|\s(install|i|add)\s/);
      expect(command).not.toMatch(/@[\^~<>=*]|@\d/);
    }
    for (const stage of stages.filter((s) => npmCommands(s).length > 0)) {
      const copied = copies(stage).flatMap((args) => args.slice(0, -1));
      expect(copied, `${stage.name} copies the lockfile`).toContain('package-lock.json');
    }
    expect(runs(stages.at(-1)!), 'the final stage installs nothing itself').toEqual([]);
  });

  it('takes its runtime node_modules from a production install of the agent workspace alone', async () => {
    const stages = await dockerfileStages();
    const deps = runtimeDepsStage(stages);
    const [install, ...others] = npmCommands(deps);
    expect(others).toEqual([]);
    expect(install).toMatch(/\s--omit=dev(\s|$)/);
    expect(install).toMatch(/\s--workspace[ =]agent(\s|$)/);
    expect(install).toMatch(/\s--include-workspace-root=false(\s|$)/);
  });

  it("names in the agent's package.json every package the agent and its libraries import", async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'agent/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const imported = new Set([
      ...(await importedPackages('agent')),
      ...(await importedPackages('libs/protocol')),
      ...(await importedPackages('libs/policy')),
    ]);
    expect(imported).toContain('ws');
    expect([...imported].filter((name) => !(name in manifest.dependencies)).sort()).toEqual([]);
    // No devDependencies: the SBOM (npm sbom without --omit dev, see `npm run sbom`) would list them.
    expect(manifest.devDependencies ?? {}).toEqual({});
  });

  it('installs in its runtime stage exactly the lockfile closure of the agent dependencies, and the image starts', {
    timeout: 180_000,
  }, async () => {
    const stages = await dockerfileStages();
    const deps = runtimeDepsStage(stages);
    const final = stages.at(-1)!;
    const dir = await mkdtemp(join(tmpdir(), 'meshplane-agent-image-'));
    scratch.push(dir);
    await replay(deps, dir, stages);
    const lock = await readLockfile(join(ROOT, 'package-lock.json'));
    expect(ids(await installedPackages(dir))).toEqual(ids(runtimeClosure(lock, 'agent')));

    // The final stage over it, with the built output of this checkout (`npm run build`, which `npm
    // test` runs first): its entry point loads every module from those packages alone (a missing
    // one fails with ERR_MODULE_NOT_FOUND, exit 1) and stops on the configuration it lacks.
    const entrypoint = await replay(final, dir, stages);
    expect(entrypoint?.[0]).toBe('node');
    const started = spawnSync(process.execPath, entrypoint!.slice(1), {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_ENV: 'production' },
    });
    expect(started.stdout).toContain('MESHPLANE_HUB_URL is required');
    expect(started.status, started.stderr).toBe(2);
  });
});

/**
 * Replays a stage of the Dockerfile into `dir`: COPY from the checkout (a stage's `--from` the
 * runtime install replayed here already, or the build stage, whose output this checkout's build
 * holds), RUN through sh. Returns the stage's ENTRYPOINT.
 */
async function replay(stage: Stage, dir: string, stages: Stage[]): Promise<string[] | undefined> {
  let entrypoint: string[] | undefined;
  for (const { keyword, args: line } of stage.instructions) {
    const args = line.split(/\s+/);
    if (['WORKDIR', 'ENV', 'USER', 'EXPOSE'].includes(keyword)) continue; // the stage runs in dir
    if (keyword === 'ENTRYPOINT') {
      entrypoint = JSON.parse(line) as string[];
      continue;
    }
    if (keyword === 'COPY') {
      const from = /^--from=(\S+)$/.exec(args[0] ?? '')?.[1];
      const sources = args.slice(from === undefined ? 0 : 1, -1);
      const destination = args.at(-1)!;
      const fromStage = stages.find((s) => s.name === from);
      const fromDir = fromStage?.instructions.find((i) => i.keyword === 'WORKDIR')?.args;
      for (const source of sources) {
        if (
          from !== undefined &&
          fromStage !== stage &&
          npmCommands(fromStage!).length > 0 &&
          source === fromDir
        ) {
          expect(destination, 'the runtime install is taken whole').toBe('./');
          continue; // replayed into dir already
        }
        const relative = fromDir === undefined ? source : source.slice(fromDir.length + 1);
        const into = destination.endsWith('/')
          ? join(dir, destination, relative.split('/').at(-1)!)
          : join(dir, destination);
        await mkdir(dirname(into), { recursive: true });
        await cp(join(ROOT, relative), into, { recursive: true });
      }
      continue;
    }
    if (keyword === 'RUN') {
      // The same command, served from npm's cache where it holds the tarballs (CI's npm ci filled it).
      const run = spawnSync('sh', ['-c', line], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${BIN}:${process.env.PATH}`, npm_config_prefer_offline: 'true' },
      });
      expect(run.status, `${line}\n${run.stderr}`).toBe(0);
      continue;
    }
    throw new Error(`the spec cannot replay ${keyword} ${line}`);
  }
  return entrypoint;
}

describe('agent SBOM (npm run sbom)', () => {
  it('lists the runtime closure of the agent at the locked versions, and no development package', {
    timeout: 120_000,
  }, async () => {
    const run = spawnSync('npm', ['run', '--silent', 'sbom'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${BIN}:${process.env.PATH}` },
    });
    expect(run.status, run.stderr).toBe(0);
    const sbom = JSON.parse(await readFile(join(ROOT, 'dist/sbom/agent.cdx.json'), 'utf8')) as {
      bomFormat: string;
      specVersion: string;
      components: Array<{ purl: string; version: string }>;
    };
    expect(sbom.bomFormat).toBe('CycloneDX');
    // The purl carries the name npm installs (`pkg:npm/%40grpc/grpc-js@1.14.7`); `name` may be a
    // workspace's folder name.
    const listed = sbom.components.map((component) => {
      const match = /^pkg:npm\/(.+)@([^@]+)$/.exec(component.purl);
      if (match === null) throw new Error(`not an npm purl: ${component.purl}`);
      return { name: decodeURIComponent(match[1]!), version: match[2]! };
    });

    const lock = await readLockfile(join(ROOT, 'package-lock.json'));
    const closure = runtimeClosure(lock, 'agent');
    expect(ids(listed)).toEqual(ids(closure));
    const manifest = JSON.parse(await readFile(join(ROOT, 'agent/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies)) expect(listed.map((p) => p.name)).toContain(name);
    expect(closure.filter((p) => p.dev).map((p) => p.name)).toEqual([]);
    for (const tool of ['vitest', 'typescript', '@biomejs/biome', 'nx'])
      expect(listed.map((p) => p.name)).not.toContain(tool);
  });
});
