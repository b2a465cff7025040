/**
 * Reading the repository's package-lock.json (lockfileVersion 3) the way npm resolves it, for the
 * image spec: the packages a workspace needs at run time, and the packages an install holds.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface LockEntry {
  name?: string;
  version?: string;
  link?: boolean;
  resolved?: string;
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface Lockfile {
  packages: Record<string, LockEntry>;
}

export interface LockedPackage {
  name: string;
  version: string;
  /** Its location in the lockfile (`node_modules/x`, `agent`, ...). */
  location: string;
  dev: boolean;
}

export async function readLockfile(path: string): Promise<Lockfile> {
  return JSON.parse(await readFile(path, 'utf8')) as Lockfile;
}

/** `name@version` of each package, sorted: the form the specs compare. */
export function ids(packages: Iterable<{ name: string; version: string }>): string[] {
  return [...new Set([...packages].map((p) => `${p.name}@${p.version}`))].sort();
}

/** The name a lockfile location installs as (`node_modules/@a/b/node_modules/c` → `c`). */
function nameAt(location: string, entry: LockEntry): string {
  const at = location.lastIndexOf('node_modules/');
  return at === -1 ? (entry.name ?? location) : location.slice(at + 'node_modules/'.length);
}

/**
 * Where `dependency`, required from `from`, resolves: Node's lookup, `from/node_modules/dep`,
 * then each enclosing `node_modules`, then the root's.
 */
function resolve(lock: Lockfile, from: string, dependency: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${dependency}` : `${base}/node_modules/${dependency}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (base === '') return undefined;
    const at = base.lastIndexOf('/node_modules/');
    base = at === -1 ? '' : base.slice(0, at);
  }
}

/**
 * Every package the workspace at `workspace` (e.g. `agent`) needs at run time, itself included:
 * its dependencies, theirs, optional ones that are locked and peers that are not optional,
 * followed through workspace links. Nothing reached only through devDependencies.
 */
export function runtimeClosure(lock: Lockfile, workspace: string): LockedPackage[] {
  const seen = new Map<string, LockedPackage>();
  const visit = (location: string): void => {
    let at = location;
    let entry = lock.packages[at];
    if (entry?.link === true && entry.resolved !== undefined) {
      at = entry.resolved;
      entry = lock.packages[at];
    }
    if (entry === undefined) throw new Error(`package-lock.json has no entry at ${location}`);
    if (seen.has(at)) return;
    seen.set(at, {
      name: nameAt(location, entry),
      version: entry.version ?? '',
      location: at,
      dev: entry.dev === true,
    });
    const required = Object.keys(entry.dependencies ?? {});
    const peers = Object.keys(entry.peerDependencies ?? {}).filter(
      (peer) => entry.peerDependenciesMeta?.[peer]?.optional !== true,
    );
    for (const dependency of [...required, ...peers]) {
      const found = resolve(lock, at, dependency);
      if (found === undefined)
        throw new Error(`${at} needs ${dependency}, which package-lock.json does not hold`);
      visit(found);
    }
    for (const dependency of Object.keys(entry.optionalDependencies ?? {})) {
      const found = resolve(lock, at, dependency);
      if (found !== undefined) visit(found);
    }
  };
  visit(workspace);
  return [...seen.values()];
}

/** Every package installed under `dir/node_modules` (nested ones too), workspace links included. */
export async function installedPackages(dir: string): Promise<Array<{ name: string; version: string }>> {
  const found: Array<{ name: string; version: string }> = [];
  const walk = async (nodeModules: string): Promise<void> => {
    const entries = await readdir(nodeModules, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(nodeModules, entry.name);
      if (entry.name.startsWith('@')) {
        await walk(path);
        continue;
      }
      const manifest = JSON.parse(await readFile(join(path, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
      };
      found.push({ name: manifest.name, version: manifest.version });
      if (!entry.isSymbolicLink()) await walk(join(path, 'node_modules'));
    }
  };
  await walk(join(dir, 'node_modules'));
  return found;
}
