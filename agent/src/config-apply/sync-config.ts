import type { ConfigObject, ConfigObjectRef, ConfigOutcome } from '@meshplane/protocol';
import { describeError } from '../agent.errors.js';
import type { ConfigTarget, ManagedObject } from './config-target.js';
import {
  inApplyOrder,
  inPruneOrder,
  managedKindOf,
  outcomeMessage,
  refKey,
  refOf,
  withManagedLabel,
} from './managed-kinds.js';

/**
 * What to make true in the cluster. `full`: exactly `objects` (every other labelled object of a
 * managed kind is pruned). `diff`: `upserts` applied and `deletes` removed, the rest untouched.
 */
export type SyncPlan =
  | { mode: 'full'; objects: readonly ConfigObject[] }
  | { mode: 'diff'; upserts: readonly ConfigObject[]; deletes: readonly ConfigObjectRef[] };

/**
 * Applies a plan to a target, one object at a time in dependency order, then prunes in the
 * reverse order. Never stops at a failing object; returns one outcome per object applied or
 * pruned. An object is `unchanged` when its revision did not move (a server-side apply no-op).
 */
export async function syncConfig(target: ConfigTarget, plan: SyncPlan): Promise<ConfigOutcome[]> {
  const upserts = plan.mode === 'full' ? plan.objects : plan.upserts;
  let present: Map<string, ManagedObject>;
  try {
    present = new Map((await target.listManaged()).map((object) => [refKey(object.ref), object]));
  } catch (error) {
    // Without the current state nothing can be pruned safely: fail every object, touch nothing.
    const why = `could not list the managed objects: ${describeError(error)}`;
    return upserts.map((object) => outcome(refOf(object), 'failed', why));
  }
  const outcomes: ConfigOutcome[] = [];
  for (const object of inApplyOrder(upserts)) outcomes.push(await applyOne(target, object, present));
  for (const ref of inPruneOrder(pruneList(plan, present)))
    outcomes.push(await pruneOne(target, ref, present));
  return outcomes;
}

/**
 * Deletes every object of the managed kinds labelled as Meshplane's, in prune order (policies
 * before the sets and tiers they name): a cluster leaving Meshplane. Throws when the objects
 * cannot be listed, since then nothing is known to be removed.
 */
export async function pruneAll(target: ConfigTarget): Promise<ConfigOutcome[]> {
  const present = new Map((await target.listManaged()).map((object) => [refKey(object.ref), object]));
  const outcomes: ConfigOutcome[] = [];
  for (const ref of inPruneOrder([...present.values()].map((object) => object.ref)))
    outcomes.push(await pruneOne(target, ref, present));
  return outcomes;
}

async function applyOne(
  target: ConfigTarget,
  object: ConfigObject,
  present: ReadonlyMap<string, ManagedObject>,
): Promise<ConfigOutcome> {
  const ref = refOf(object);
  const kind = managedKindOf(object);
  if (kind === undefined)
    return outcome(ref, 'failed', `${object.apiVersion} ${object.kind} is not a kind Meshplane manages`);
  if (kind.namespaced !== (object.metadata.namespace !== undefined)) {
    const expected = kind.namespaced ? 'needs a namespace' : 'is cluster-scoped and takes no namespace';
    return outcome(ref, 'failed', `${object.kind} ${expected}`);
  }
  try {
    const revision = await target.apply(withManagedLabel(object));
    return outcome(ref, present.get(refKey(ref))?.revision === revision ? 'unchanged' : 'applied');
  } catch (error) {
    return outcome(ref, 'failed', describeError(error));
  }
}

/** Full: every labelled object not in the bundle. Diff: the named deletes. */
function pruneList(plan: SyncPlan, present: ReadonlyMap<string, ManagedObject>): ConfigObjectRef[] {
  if (plan.mode === 'diff') {
    const upserted = new Set(plan.upserts.map((object) => refKey(refOf(object))));
    return plan.deletes.filter((ref) => !upserted.has(refKey(ref)));
  }
  const wanted = new Set(plan.objects.map((object) => refKey(refOf(object))));
  return [...present.values()].map((object) => object.ref).filter((ref) => !wanted.has(refKey(ref)));
}

async function pruneOne(
  target: ConfigTarget,
  ref: ConfigObjectRef,
  present: ReadonlyMap<string, ManagedObject>,
): Promise<ConfigOutcome> {
  // Only objects found with Meshplane's label are ever deleted; anything else is left alone.
  if (!present.has(refKey(ref)))
    return outcome(ref, 'unchanged', 'absent or not labelled as managed by Meshplane; left alone');
  try {
    await target.delete(ref);
    return outcome(ref, 'pruned');
  } catch (error) {
    return outcome(ref, 'failed', describeError(error));
  }
}

export function outcome(
  ref: ConfigObjectRef,
  result: ConfigOutcome['result'],
  message?: string,
): ConfigOutcome {
  const value: ConfigOutcome = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, result };
  if (ref.namespace !== undefined) value.namespace = ref.namespace;
  if (message !== undefined) value.message = outcomeMessage(message);
  return value;
}
