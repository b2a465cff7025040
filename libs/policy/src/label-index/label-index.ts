import type { SelectorNode } from '../selector/ast.js';
import { compileSelector, type LabelMatcher, type Labels } from '../selector/compile.js';
import { parseSelector } from '../selector/parser.js';
import { type LabelRestriction, labelRestrictions } from '../selector/restrictions.js';

/** One change of membership: item `itemId` started (`matched: true`) or stopped matching `selectorId`. */
export interface MembershipChange {
  readonly selectorId: string;
  readonly itemId: string;
  readonly matched: boolean;
}

/**
 * How a selector's candidates are found: items holding `label` with one of `values`, items holding
 * `label` at all, every item (`scan`), or no item (`never`, e.g. `a in {}`).
 */
export type Narrowing =
  | { readonly kind: 'values'; readonly label: string; readonly values: readonly string[] }
  | { readonly kind: 'key'; readonly label: string }
  | { readonly kind: 'scan' }
  | { readonly kind: 'never' };

interface ItemEntry {
  readonly id: string;
  labels: Labels;
  /** Selectors this item matches; created on first match. Small, so checking it is cheap. */
  matches: Set<SelectorEntry> | undefined;
}

interface SelectorEntry {
  readonly id: string;
  readonly matcher: LabelMatcher;
  readonly narrowing: Narrowing;
  /** Ids of the items it matches; touched only when membership changes. */
  readonly matches: Set<string>;
  /** The update that last evaluated it, so one update evaluates it at most once without a Set. */
  lastEvaluated: number;
}

/**
 * Posting lists: key → entries, and key → value → entries. Entries are objects, so set
 * operations hash by identity rather than by (possibly long, uncached) id strings.
 */
class Postings<T> {
  readonly byKey = new Map<string, Set<T>>();
  readonly byValue = new Map<string, Map<string, Set<T>>>();

  addKey(label: string, entry: T): void {
    getOrCreate(this.byKey, label, () => new Set<T>()).add(entry);
  }

  removeKey(label: string, entry: T): void {
    deleteFrom(this.byKey, label, entry);
  }

  addValue(label: string, value: string, entry: T): void {
    getOrCreate(
      getOrCreate(this.byValue, label, () => new Map<string, Set<T>>()),
      value,
      () => new Set<T>(),
    ).add(entry);
  }

  removeValue(label: string, value: string, entry: T): void {
    const values = this.byValue.get(label);
    if (values === undefined) return;
    deleteFrom(values, value, entry);
    if (values.size === 0) this.byValue.delete(label);
  }

  valueSet(label: string, value: string): Set<T> | undefined {
    return this.byValue.get(label)?.get(value);
  }
}

/**
 * Items by label and value, for the labels some selector's restrictions have named (tracked labels):
 * label → value → items. The items holding a label at all are the union of its value sets (each
 * item is in exactly one of them), so no separate per-key set is kept up to date on every update.
 */
class ItemPostings {
  readonly byValue = new Map<string, Map<string, Set<ItemEntry>>>();

  track(label: string): Map<string, Set<ItemEntry>> {
    return getOrCreate(this.byValue, label, () => new Map<string, Set<ItemEntry>>());
  }

  isTracked(label: string): boolean {
    return this.byValue.has(label);
  }

  add(values: Map<string, Set<ItemEntry>>, value: string, item: ItemEntry): void {
    getOrCreate(values, value, () => new Set<ItemEntry>()).add(item);
  }

  remove(values: Map<string, Set<ItemEntry>>, value: string, item: ItemEntry): void {
    deleteFrom(values, value, item);
  }

  valueSet(label: string, value: string): Set<ItemEntry> | undefined {
    return this.byValue.get(label)?.get(value);
  }

  /** How many items hold the label (0 for an untracked one). */
  keyCount(label: string): number {
    let count = 0;
    for (const items of this.byValue.get(label)?.values() ?? []) count += items.size;
    return count;
  }
}

/**
 * Keeps track of which labelled items (endpoints, network sets, clusters...) match which selectors,
 * and reports membership changes as they happen.
 *
 * The cost of every operation is proportional to what it could change, not to the size of the
 * index: each selector is filed under the label key (and values) it requires, found with
 * {@link labelRestrictions}, and items are filed under their labels. An item update evaluates only
 * the selectors filed under one of its labels, the ones it matched before, and the few selectors
 * that cannot be narrowed (`all()`, pure negations), which are scanned. A selector update evaluates
 * only the items filed under its narrowing label.
 *
 * Items are filed only under the labels that some selector's restrictions have named so far (the
 * *tracked* labels): a label no selector looks at (a `pod-template-hash`, a label every item holds)
 * costs nothing per update. The first selector naming a new label files every item holding it,
 * once (a scan of the items, as a selector that cannot be narrowed costs anyway).
 */
export class LabelIndex {
  private readonly items = new Map<string, ItemEntry>();
  private readonly selectors = new Map<string, SelectorEntry>();
  private readonly itemPostings = new ItemPostings();
  private readonly selectorPostings = new Postings<SelectorEntry>();
  private readonly scanSelectors = new Set<SelectorEntry>();
  private updateSerial = 0;

  get itemCount(): number {
    return this.items.size;
  }

  get selectorCount(): number {
    return this.selectors.size;
  }

  /** Adds or replaces a selector; returns the membership changes it causes. */
  upsertSelector(selectorId: string, selector: string | SelectorNode): MembershipChange[] {
    const node = typeof selector === 'string' ? parseSelector(selector) : selector;
    const previous = this.selectors.get(selectorId);
    if (previous !== undefined) this.unfileSelector(previous);

    const restrictions = labelRestrictions(node);
    for (const label of restrictions.keys()) this.trackLabel(label);
    const entry: SelectorEntry = {
      id: selectorId,
      matcher: compileSelector(node),
      narrowing: this.chooseNarrowing(restrictions),
      matches: new Set(),
      lastEvaluated: 0,
    };
    this.selectors.set(selectorId, entry);
    this.fileSelector(entry);

    const changes: MembershipChange[] = [];
    for (const item of this.candidateItems(entry.narrowing)) {
      if (!entry.matcher(item.labels)) continue;
      entry.matches.add(item.id);
      matchesOf(item).add(entry);
      if (previous === undefined || !previous.matches.has(item.id)) {
        changes.push({ selectorId, itemId: item.id, matched: true });
      }
    }
    if (previous !== undefined) {
      for (const itemId of previous.matches) {
        const item = this.items.get(itemId)!;
        item.matches!.delete(previous);
        if (!entry.matches.has(itemId)) changes.push({ selectorId, itemId, matched: false });
      }
    }
    return changes;
  }

  /** Removes a selector; every item it matched is reported as no longer matching. */
  removeSelector(selectorId: string): MembershipChange[] {
    const entry = this.selectors.get(selectorId);
    if (entry === undefined) return [];
    this.selectors.delete(selectorId);
    this.unfileSelector(entry);
    const changes: MembershipChange[] = [];
    for (const itemId of entry.matches) {
      this.items.get(itemId)!.matches!.delete(entry);
      changes.push({ selectorId, itemId, matched: false });
    }
    return changes;
  }

  /**
   * Adds or relabels an item; returns the membership changes it causes. Its labels are copied,
   * unless the caller froze them (then nobody can change them under the index: they are kept as is).
   */
  upsertItem(itemId: string, newLabels: Labels): MembershipChange[] {
    const labels: Labels = Object.isFrozen(newLabels) ? newLabels : { ...newLabels };
    let item = this.items.get(itemId);
    if (item === undefined) {
      item = { id: itemId, labels, matches: undefined };
      this.items.set(itemId, item);
      this.fileItemLabels(item, labels, undefined);
    } else {
      this.fileItemLabels(item, labels, item.labels);
      item.labels = labels;
    }
    // No selector yet (e.g. a first load of items): nothing to evaluate.
    if (this.selectors.size === 0) return [];

    const changes: MembershipChange[] = [];
    const serial = ++this.updateSerial;
    const evaluate = (selector: SelectorEntry): void => {
      if (selector.lastEvaluated === serial) return;
      selector.lastEvaluated = serial;
      const matchesNow = selector.matcher(labels);
      const matchedBefore = item.matches?.has(selector) ?? false;
      if (matchesNow === matchedBefore) return;
      if (matchesNow) {
        selector.matches.add(itemId);
        matchesOf(item).add(selector);
      } else {
        selector.matches.delete(itemId);
        item.matches!.delete(selector);
      }
      changes.push({ selectorId: selector.id, itemId, matched: matchesNow });
    };

    if (item.matches !== undefined) for (const selector of [...item.matches]) evaluate(selector);
    for (const selector of this.scanSelectors) evaluate(selector);
    for (const label in labels) {
      if (!Object.hasOwn(labels, label)) continue;
      const byKey = this.selectorPostings.byKey.get(label);
      if (byKey !== undefined) for (const selector of byKey) evaluate(selector);
      const byValue = this.selectorPostings.valueSet(label, labels[label]!);
      if (byValue !== undefined) for (const selector of byValue) evaluate(selector);
    }
    return changes;
  }

  /** Removes an item; every selector it matched is reported as no longer matching it. */
  removeItem(itemId: string): MembershipChange[] {
    const item = this.items.get(itemId);
    if (item === undefined) return [];
    this.items.delete(itemId);
    this.unfileItemLabels(item);
    const changes: MembershipChange[] = [];
    for (const selector of item.matches ?? []) {
      selector.matches.delete(itemId);
      changes.push({ selectorId: selector.id, itemId, matched: false });
    }
    return changes;
  }

  /** The ids of the items a selector currently matches (empty for an unknown selector). */
  itemsMatching(selectorId: string): ReadonlySet<string> {
    return this.selectors.get(selectorId)?.matches ?? EMPTY;
  }

  /** The ids of the selectors an item currently matches (a new set; empty for an unknown item). */
  selectorsMatching(itemId: string): ReadonlySet<string> {
    const matches = this.items.get(itemId)?.matches;
    return matches === undefined ? EMPTY : new Set([...matches].map((selector) => selector.id));
  }

  hasItem(itemId: string): boolean {
    return this.items.has(itemId);
  }

  hasSelector(selectorId: string): boolean {
    return this.selectors.has(selectorId);
  }

  /** How the index finds a selector's candidates (exposed for tests and diagnostics). */
  narrowingOf(selectorId: string): Narrowing | undefined {
    return this.selectors.get(selectorId)?.narrowing;
  }

  /**
   * Picks the restriction with the fewest candidate items right now; on ties (e.g. while the index
   * is still empty) a value restriction beats a key restriction, and fewer values beat more.
   */
  private chooseNarrowing(restrictions: ReadonlyMap<string, LabelRestriction>): Narrowing {
    let best: Narrowing = { kind: 'scan' };
    let bestCost: readonly number[] = [Number.POSITIVE_INFINITY];
    const consider = (narrowing: Narrowing, cost: readonly number[]) => {
      if (compareCosts(cost, bestCost) < 0) [best, bestCost] = [narrowing, cost];
    };
    for (const [label, restriction] of restrictions) {
      if (restriction.values !== undefined) {
        if (restriction.values.size === 0) return { kind: 'never' };
        const values = [...restriction.values];
        let candidates = 0;
        for (const value of values) candidates += this.itemPostings.valueSet(label, value)?.size ?? 0;
        consider({ kind: 'values', label, values }, [candidates, 0, values.length]);
      } else if (restriction.mustBePresent) {
        consider({ kind: 'key', label }, [this.itemPostings.keyCount(label), 1, 0]);
      }
    }
    return best;
  }

  private *candidateItems(narrowing: Narrowing): Iterable<ItemEntry> {
    switch (narrowing.kind) {
      case 'never':
        return;
      case 'scan':
        yield* this.items.values();
        return;
      case 'key':
        for (const items of this.itemPostings.byValue.get(narrowing.label)?.values() ?? []) yield* items;
        return;
      case 'values':
        for (const value of narrowing.values) yield* this.itemPostings.valueSet(narrowing.label, value) ?? [];
    }
  }

  private fileSelector(selector: SelectorEntry): void {
    const { narrowing } = selector;
    switch (narrowing.kind) {
      case 'scan':
        this.scanSelectors.add(selector);
        return;
      case 'key':
        this.selectorPostings.addKey(narrowing.label, selector);
        return;
      case 'values':
        for (const value of narrowing.values)
          this.selectorPostings.addValue(narrowing.label, value, selector);
        return;
      case 'never':
        return;
    }
  }

  private unfileSelector(selector: SelectorEntry): void {
    const { narrowing } = selector;
    switch (narrowing.kind) {
      case 'scan':
        this.scanSelectors.delete(selector);
        return;
      case 'key':
        this.selectorPostings.removeKey(narrowing.label, selector);
        return;
      case 'values':
        for (const value of narrowing.values)
          this.selectorPostings.removeValue(narrowing.label, value, selector);
        return;
      case 'never':
        return;
    }
  }

  /** Starts filing items under a label: every item holding it now, then every update. */
  private trackLabel(label: string): void {
    if (this.itemPostings.isTracked(label)) return;
    const values = this.itemPostings.track(label);
    for (const item of this.items.values()) {
      if (Object.hasOwn(item.labels, label)) this.itemPostings.add(values, item.labels[label]!, item);
    }
  }

  /** Files an item under its new tracked labels, touching only the labels that changed. */
  private fileItemLabels(item: ItemEntry, labels: Labels, previous: Labels | undefined): void {
    const postings = this.itemPostings.byValue;
    if (postings.size === 0) return;
    if (previous !== undefined) {
      for (const label in previous) {
        if (!Object.hasOwn(previous, label)) continue;
        const values = postings.get(label);
        if (values === undefined) continue;
        const before = previous[label]!;
        const after = Object.hasOwn(labels, label) ? labels[label] : undefined;
        if (after !== before) this.itemPostings.remove(values, before, item);
      }
    }
    for (const label in labels) {
      if (!Object.hasOwn(labels, label)) continue;
      const values = postings.get(label);
      if (values === undefined) continue;
      const after = labels[label]!;
      const before = previous !== undefined && Object.hasOwn(previous, label) ? previous[label] : undefined;
      if (after !== before) this.itemPostings.add(values, after, item);
    }
  }

  private unfileItemLabels(item: ItemEntry): void {
    const { labels } = item;
    const postings = this.itemPostings.byValue;
    for (const label in labels) {
      if (!Object.hasOwn(labels, label)) continue;
      const values = postings.get(label);
      if (values !== undefined) this.itemPostings.remove(values, labels[label]!, item);
    }
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function matchesOf(item: ItemEntry): Set<SelectorEntry> {
  if (item.matches === undefined) item.matches = new Set();
  return item.matches;
}

function compareCosts(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function deleteFrom<K, T>(map: Map<K, Set<T>>, key: K, entry: T): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(entry);
  if (set.size === 0) map.delete(key);
}
