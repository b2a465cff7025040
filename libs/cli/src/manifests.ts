import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type Document, isNode, LineCounter, parseAllDocuments } from 'yaml';
import { CliError } from './cli-error.js';

/** One object of the files given with `-f`, and where it came from. */
export interface SourceObject {
  object: unknown;
  /** The file as the user named it (relative to the working directory). */
  file: string;
  document: Document;
  lines: LineCounter;
}

/** At most this many files are read from a folder, and objects in all. */
const MAX_FILES = 1_000;
const MAX_OBJECTS = 1_000;
const MAX_FILE_BYTES = 1 << 20;

/** `*.yaml` / `*.yml` files of a folder (and its sub-folders), sorted; or the one file named. */
async function manifestFiles(target: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(target);
  } catch {
    throw new CliError(`${target}: no such file or folder`);
  }
  if (!info.isDirectory()) return [target];
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  if (files.length === 0) throw new CliError(`${target}: no .yaml or .yml files`);
  if (files.length > MAX_FILES) throw new CliError(`${target}: more than ${MAX_FILES} files`);
  return files;
}

/**
 * Every object of the files, in file order then document order. A YAML syntax error stops here,
 * reported at `file:line:column`; empty documents are skipped.
 */
export async function readManifests(target: string, cwd = process.cwd()): Promise<SourceObject[]> {
  const out: SourceObject[] = [];
  const problems: string[] = [];
  for (const path of await manifestFiles(target)) {
    const file = relative(cwd, path) || path;
    const text = await readFile(path, 'utf8');
    if (text.length > MAX_FILE_BYTES) throw new CliError(`${file}: larger than ${MAX_FILE_BYTES} bytes`);
    const lines = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
    for (const document of Array.isArray(documents) ? documents : []) {
      for (const error of document.errors) {
        const at = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        problems.push(`${file}:${at.line}:${at.col}: ${message}`);
      }
      if (document.errors.length > 0 || document.contents === null) continue;
      out.push({ object: document.toJS(), file, document, lines });
    }
  }
  if (problems.length > 0) throw new CliError(problems.join('\n'));
  if (out.length === 0) throw new CliError(`${target}: no objects`);
  if (out.length > MAX_OBJECTS) throw new CliError(`${target}: more than ${MAX_OBJECTS} objects`);
  return out;
}

/** `spec.ingress[0].action` → `['spec', 'ingress', 0, 'action']`. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split('.').filter((p) => p !== '')) {
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1]) segments.push(match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/**
 * `file:line:column` of a field of an object (a path as the API names it); a field the text lacks
 * (a required one left out) is placed at the nearest field it has.
 */
export function locate(source: SourceObject, path: string): string {
  const segments = pathSegments(path);
  for (let length = segments.length; length >= 0; length -= 1) {
    const node = source.document.getIn(segments.slice(0, length), true);
    if (isNode(node) && node.range) {
      const at = source.lines.linePos(node.range[0]);
      return `${source.file}:${at.line}:${at.col}`;
    }
  }
  const root = source.document.contents;
  const at = source.lines.linePos(isNode(root) && root.range ? root.range[0] : 0);
  return `${source.file}:${at.line}:${at.col}`;
}
