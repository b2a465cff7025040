import {
  deleteValueAt,
  type FieldPath,
  FieldSet,
  formatFieldPath,
  setValueAt,
  trackedFieldPaths,
  valueAt,
} from './field-paths.js';
import { KubeApiError } from './kube-api.errors.js';
import { jsonEqual, type KubeObject, type ManagedFieldsEntry } from './kube-object.js';

/** Ownership of one (manager, operation) pair, the in-memory form of a managedFields entry. */
interface Ownership {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fields: FieldSet;
}

export interface ApplyRequest {
  manager: string;
  force: boolean;
  /** The apiVersion the configuration was applied with. */
  apiVersion: string;
  /** Timestamp recorded on entries that change. */
  now: string;
}

export interface UpdateRequest {
  manager: string;
  apiVersion: string;
  now: string;
}

interface FieldConflict {
  manager: string;
  apiVersion: string;
  path: FieldPath;
}

function readOwnerships(object: KubeObject | undefined): Ownership[] {
  return (object?.metadata.managedFields ?? []).map((entry) => ({
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    time: entry.time,
    fields: FieldSet.fromFieldsV1(entry.fieldsV1),
  }));
}

function writeOwnerships(ownerships: Ownership[]): ManagedFieldsEntry[] {
  return ownerships
    .filter((o) => o.fields.size > 0)
    .map((o) => ({
      manager: o.manager,
      operation: o.operation,
      apiVersion: o.apiVersion,
      time: o.time,
      fieldsType: 'FieldsV1',
      fieldsV1: o.fields.toFieldsV1(),
    }));
}

/** Returns the entry for (manager, operation), adding an empty one when there is none. */
function ownershipOf(ownerships: Ownership[], manager: string, operation: Ownership['operation']): Ownership {
  let ownership = ownerships.find((o) => o.manager === manager && o.operation === operation);
  if (!ownership) {
    ownership = { manager, operation, apiVersion: '', time: '', fields: new FieldSet() };
    ownerships.push(ownership);
  }
  return ownership;
}

function changedPaths(before: KubeObject | undefined, after: KubeObject): FieldPath[] {
  const candidates = new FieldSet([
    ...trackedFieldPaths(after),
    ...(before ? trackedFieldPaths(before) : []),
  ]);
  return [...candidates].filter((path) => !jsonEqual(valueAt(before, path), valueAt(after, path)));
}

/** Stamps an entry that gained or lost fields, or whose fields changed value. */
function touch(
  ownership: Ownership,
  before: FieldSet,
  changed: boolean,
  apiVersion: string,
  now: string,
): void {
  if (changed || !ownership.fields.equals(before) || !ownership.time) {
    ownership.time = now;
    ownership.apiVersion = apiVersion;
  }
}

/**
 * Records a non-apply write (create, update, merge patch) in `after.metadata.managedFields`. As in
 * the real server, an update never conflicts: the updater takes ownership of every tracked field
 * it changed, away from whoever held it, and fields that no longer exist are owned by nobody.
 */
export function recordUpdate(
  before: KubeObject | undefined,
  after: KubeObject,
  request: UpdateRequest,
): KubeObject {
  const ownerships = readOwnerships(before);
  const changed = new FieldSet(changedPaths(before, after));
  const present = new FieldSet(trackedFieldPaths(after));
  for (const ownership of ownerships) {
    for (const path of [...ownership.fields]) {
      if (!present.has(path) || changed.has(path)) ownership.fields.delete(path);
    }
  }
  const updater = ownershipOf(ownerships, request.manager, 'Update');
  const held = new FieldSet(updater.fields);
  for (const path of changed) if (present.has(path)) updater.fields.add(path);
  touch(updater, held, changed.size > 0, request.apiVersion, request.now);
  after.metadata.managedFields = writeOwnerships(ownerships);
  return after;
}

function findConflicts(
  existing: KubeObject,
  configuration: KubeObject,
  applied: FieldSet,
  ownerships: Ownership[],
  manager: string,
): FieldConflict[] {
  const conflicts: FieldConflict[] = [];
  for (const ownership of ownerships) {
    if (ownership.manager === manager) continue;
    for (const path of applied) {
      const differs = !jsonEqual(valueAt(existing, path), valueAt(configuration, path));
      if (differs && ownership.fields.has(path)) {
        conflicts.push({ manager: ownership.manager, apiVersion: ownership.apiVersion, path });
      }
    }
  }
  return conflicts;
}

/** The 409 the real server sends, with one `FieldManagerConflict` cause per field. */
function conflictError(conflicts: FieldConflict[]): KubeApiError {
  const byManager = new Map<string, FieldConflict[]>();
  for (const conflict of conflicts) {
    byManager.set(conflict.manager, [...(byManager.get(conflict.manager) ?? []), conflict]);
  }
  const parts = [...byManager].map(([manager, list]) => {
    const using = `"${manager}" using ${list[0]!.apiVersion}`;
    return list.length === 1
      ? `conflict with ${using}: ${formatFieldPath(list[0]!.path)}`
      : `conflicts with ${using}:\n${list.map((c) => `- ${formatFieldPath(c.path)}`).join('\n')}`;
  });
  const count = conflicts.length;
  return new KubeApiError(
    'Conflict',
    `Apply failed with ${count} conflict${count === 1 ? '' : 's'}: ${parts.join('\n')}`,
    {
      causes: conflicts.map((c) => ({
        type: 'FieldManagerConflict',
        message: `conflict with "${c.manager}" using ${c.apiVersion}`,
        field: formatFieldPath(c.path),
      })),
    },
  );
}

/**
 * Server-side apply of `configuration` by `request.manager` onto `existing` (the object the
 * server holds, or a skeleton when creating), with tracked-field granularity (see
 * `trackedFieldPaths`):
 * - a field the configuration sets to a different value than another manager owns is a
 *   conflict (409) unless `force`, which takes the field over;
 * - equal values are shared between managers;
 * - a field this manager applied before and now omits is removed, unless someone else owns it.
 * `status` in the configuration is ignored. Returns the merged object with its managedFields.
 */
export function applyConfiguration(
  existing: KubeObject,
  configuration: KubeObject,
  request: ApplyRequest,
): KubeObject {
  const ownerships = readOwnerships(existing);
  const applied = new FieldSet(trackedFieldPaths(configuration));
  const conflicts = findConflicts(existing, configuration, applied, ownerships, request.manager);
  if (conflicts.length > 0 && !request.force) throw conflictError(conflicts);
  for (const conflict of conflicts) {
    for (const ownership of ownerships)
      if (ownership.manager === conflict.manager) ownership.fields.delete(conflict.path);
  }

  const applier = ownershipOf(ownerships, request.manager, 'Apply');
  const merged = structuredClone(existing);
  for (const path of applier.fields) {
    const ownedElsewhere = ownerships.some((o) => o !== applier && o.fields.has(path));
    if (!applied.has(path) && !ownedElsewhere) deleteValueAt(merged, path);
  }
  for (const path of applied) setValueAt(merged, path, valueAt(configuration, path));

  const held = applier.fields;
  applier.fields = applied;
  touch(applier, held, changedPaths(existing, merged).length > 0, request.apiVersion, request.now);
  merged.metadata.managedFields = writeOwnerships(ownerships);
  return merged;
}

/** True when two versions of an object differ in nothing but managedFields timestamps and resourceVersion. */
export function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (object: KubeObject) => {
    const copy = structuredClone(object);
    delete copy.metadata.resourceVersion;
    for (const entry of copy.metadata.managedFields ?? []) entry.time = '';
    return copy;
  };
  return jsonEqual(strip(a), strip(b));
}
