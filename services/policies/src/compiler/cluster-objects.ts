import { hash } from 'node:crypto';
import type { BundleObject, EmittedObject } from './calico-objects.js';
import { sha256Hex } from './canonical-json.js';
import type { ClusterBundle } from './compiler.types.js';

/** How many buckets a bundle hash is combined from (a power of two, at most 256). */
export const HASH_BUCKETS = 64;

/** The bucket an object's digest falls in: its first byte, modulo {@link HASH_BUCKETS}. */
export function hashBucket(object: Pick<EmittedObject, 'digestByte'>): number {
  return object.digestByte & (HASH_BUCKETS - 1);
}

/**
 * A bundle's hash, from scratch: sha256 (hex) of, one per line, the hex digest of each of the
 * {@link HASH_BUCKETS} buckets, a bucket's digest being the sha256 of the
 * 32-byte digests of its objects (sha256 of their canonical JSON) laid end to end, in bundle order.
 *
 * Equal bundles have equal hashes, whichever cluster they are for (the bucket of an object depends
 * on its content only; stored contents are shared by that hash), and any change of an object or
 * of the objects' order changes the hash. Changing one
 * object rehashes one or two buckets, not the whole bundle: {@link ClusterObjects} keeps the bucket
 * digests, and this function is its reference.
 */
export function bundleHash(
  clusterId: string,
  objects: readonly Pick<EmittedObject, 'digest' | 'digestByte'>[],
): string {
  const buckets = Array.from({ length: HASH_BUCKETS }, () => [] as Uint32Array[]);
  for (const object of objects) buckets[hashBucket(object)]!.push(object.digest);
  return combine(
    clusterId,
    buckets.map((digests) =>
      hash(
        'sha256',
        Buffer.concat(digests.map((words) => new Uint8Array(words.buffer, words.byteOffset, 32))),
        'hex',
      ),
    ),
  );
}

function combine(_clusterId: string, bucketDigests: readonly string[]): string {
  return sha256Hex(bucketDigests.join('\n'));
}

/**
 * The objects of one cluster's bundle, kept in bundle order (by sort key) with the digest of each
 * hash bucket: the fixed objects listed before and after the network sets, and the network sets,
 * which {@link patch} replaces by sort key. A patch of k sets costs O(k log n) comparisons, the
 * buckets it touches, and one pass copying references (no object is read, re-serialised or
 * re-hashed); {@link bundle} copies the lists of objects natively.
 */
export class ClusterObjects {
  private readonly beforeObjects: BundleObject[];
  private readonly afterObjects: BundleObject[];
  private readonly bucketDigests: string[];

  private constructor(
    before: readonly EmittedObject[],
    private sets: EmittedObject[],
    /** `sets[i].object`, kept alongside so that a bundle is three native copies. */
    private setObjects: BundleObject[],
    after: readonly EmittedObject[],
    private readonly buckets: Bucket[],
  ) {
    this.beforeObjects = before.map((object) => object.object);
    this.afterObjects = after.map((object) => object.object);
    this.bucketDigests = buckets.map((bucket) => bucket.digest());
  }

  /**
   * All three lists sorted by sort key, every `before` key below every set key, every `after` key
   * above.
   */
  static of(
    before: readonly EmittedObject[],
    sets: readonly EmittedObject[],
    after: readonly EmittedObject[],
  ): ClusterObjects {
    const members = Array.from({ length: HASH_BUCKETS }, () => [] as EmittedObject[]);
    for (const list of [before, sets, after])
      for (const object of list) members[hashBucket(object)]!.push(object);
    const words = bucketWords(members.map((objects) => objects.length));
    const buckets = members.map((objects, bucket) => {
      for (let i = 0; i < objects.length; i++)
        copyDigest(objects[i]!.digest, words[bucket]!, i * DIGEST_WORDS);
      return new Bucket(objects.length === 0 ? NO_OBJECTS : objects, words[bucket]!);
    });
    return new ClusterObjects(
      before,
      [...sets],
      sets.map((set) => set.object),
      after,
      buckets,
    );
  }

  /**
   * The same as {@link of} for the sets of `table` at the given ranks (ascending, distinct): reads
   * the table's dense arrays in rank order rather than every set object, for cold compiles.
   */
  static fromRanks(
    before: readonly EmittedObject[],
    ranks: Int32Array,
    after: readonly EmittedObject[],
    table: RankedSets,
  ): ClusterObjects {
    const counts = new Int32Array(HASH_BUCKETS);
    for (const object of before) counts[hashBucket(object)]!++;
    for (let i = 0; i < ranks.length; i++) counts[table.buckets[ranks[i]!]!]!++;
    for (const object of after) counts[hashBucket(object)]!++;
    const members = Array.from(counts, (count) =>
      count === 0 ? NO_OBJECTS : new Array<EmittedObject>(count),
    );
    const words = bucketWords(counts);
    const filled = new Int32Array(HASH_BUCKETS);
    const place = (object: EmittedObject, bucket: number, digest: Uint32Array, at: number) => {
      const slot = filled[bucket]!++;
      members[bucket]![slot] = object;
      copyDigest(digest, words[bucket]!, slot * DIGEST_WORDS, at);
    };
    for (const object of before) place(object, hashBucket(object), object.digest, 0);
    const sets = new Array<EmittedObject>(ranks.length);
    const setObjects = new Array<BundleObject>(ranks.length);
    for (let i = 0; i < ranks.length; i++) {
      const rank = ranks[i]!;
      sets[i] = table.sets[rank]!;
      setObjects[i] = table.objects[rank]!;
      place(sets[i]!, table.buckets[rank]!, table.digests, rank * DIGEST_WORDS);
    }
    for (const object of after) place(object, hashBucket(object), object.digest, 0);
    const buckets = members.map((objects, bucket) => new Bucket(objects, words[bucket]!));
    return new ClusterObjects(before, sets, setObjects, after, buckets);
  }

  /** The network sets, in order. */
  get networkSets(): readonly EmittedObject[] {
    return this.sets;
  }

  /**
   * Removes the network sets with the `dropped` sort keys (absent ones are ignored), then inserts
   * `added`, whose keys must not be in the list by then (checked before anything changes).
   */
  patch(dropped: Iterable<string>, added: readonly EmittedObject[]): void {
    const sets = this.sets;
    const goneSet = new Set<number>();
    for (const key of dropped) {
      const at = lowerBound(sets, key);
      if (sets[at]?.sortKey === key) goneSet.add(at);
    }
    const gone = [...goneSet].sort((a, b) => a - b);
    const incoming = [...added].sort(bySortKey);
    const places = incoming.map((set, i) => {
      const at = lowerBound(sets, set.sortKey);
      const clash = sets[at]?.sortKey === set.sortKey && !goneSet.has(at);
      if (clash || incoming[i - 1]?.sortKey === set.sortKey)
        throw new Error(`network set ${set.sortKey} is already in the bundle`);
      return at;
    });
    const dirty = new Set<number>();
    for (const at of gone) {
      this.buckets[hashBucket(sets[at]!)]!.remove(sets[at]!);
      dirty.add(hashBucket(sets[at]!));
    }
    for (const set of incoming) {
      this.buckets[hashBucket(set)]!.insert(set);
      dirty.add(hashBucket(set));
    }
    if (gone.length === 0 && incoming.length === 0) return;
    if (gone.length + incoming.length <= SPLICE_LIMIT) {
      // In place (no garbage): remove from the end, then insert from the start, shifting positions.
      for (let g = gone.length - 1; g >= 0; g--) {
        sets.splice(gone[g]!, 1);
        this.setObjects.splice(gone[g]!, 1);
      }
      let removedBefore = 0;
      for (let a = 0; a < incoming.length; a++) {
        while (removedBefore < gone.length && gone[removedBefore]! < places[a]!) removedBefore++;
        const at = places[a]! - removedBefore + a;
        sets.splice(at, 0, incoming[a]!);
        this.setObjects.splice(at, 0, incoming[a]!.object);
      }
    } else {
      this.rebuildSets(gone, incoming, places);
    }
    for (const bucket of dirty) this.bucketDigests[bucket] = this.buckets[bucket]!.digest();
  }

  /** One pass: skip the gone positions, insert each incoming set before the set it sorts below. */
  private rebuildSets(
    gone: readonly number[],
    incoming: readonly EmittedObject[],
    places: readonly number[],
  ): void {
    const sets = this.sets;
    const size = sets.length - gone.length + incoming.length;
    const nextSets = new Array<EmittedObject>(size);
    const nextObjects = new Array<BundleObject>(size);
    let k = 0;
    let g = 0;
    let a = 0;
    for (let i = 0; i <= sets.length; i++) {
      while (a < incoming.length && places[a] === i) {
        nextSets[k] = incoming[a]!;
        nextObjects[k++] = incoming[a++]!.object;
      }
      if (i === sets.length) break;
      if (g < gone.length && gone[g] === i) {
        g++;
        continue;
      }
      nextSets[k] = sets[i]!;
      nextObjects[k++] = this.setObjects[i]!;
    }
    this.sets = nextSets;
    this.setObjects = nextObjects;
  }

  /** The bundle as it stands: a new objects array, and the hash from the kept bucket digests. */
  bundle(clusterId: string): ClusterBundle {
    const objects = this.beforeObjects.concat(this.setObjects, this.afterObjects);
    return { clusterId, objects, hash: combine(clusterId, this.bucketDigests) };
  }
}

/** Up to this many removals and insertions, a patch splices the lists in place (no new arrays). */
const SPLICE_LIMIT = 32;

const DIGEST_WORDS = 8;

/**
 * An empty bucket's objects and digest words, shared by every empty bucket (most of a small
 * bundle's): a bucket replaces them before its first insert, and the frozen array throws if
 * anything tried to change it in place.
 */
const NO_OBJECTS = Object.freeze([]) as unknown as EmittedObject[];
const NO_WORDS = new Uint32Array(0);

/**
 * Digest words for buckets of the given sizes: views into one buffer for the whole cluster (one
 * allocation instead of one per bucket — a cold compile makes 64 per cluster), `NO_WORDS` for
 * empty ones.
 */
function bucketWords(counts: ArrayLike<number>): Uint32Array[] {
  let total = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) total += counts[bucket]!;
  const all = new Uint32Array(total * DIGEST_WORDS);
  const words = new Array<Uint32Array>(counts.length);
  let offset = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    const size = counts[bucket]! * DIGEST_WORDS;
    words[bucket] = size === 0 ? NO_WORDS : all.subarray(offset, offset + size);
    offset += size;
  }
  return words;
}

/** The digest of a bucket holding no object (sha256 of nothing). */
const EMPTY_BUCKET_DIGEST = hash('sha256', new Uint8Array(0), 'hex');

/**
 * The objects of one hash bucket in bundle order, with their digests packed end to end (outside
 * the JS heap), so that hashing the bucket reads no object and a change shifts a few words.
 */
class Bucket {
  /**
   * `objects` in order, and their digests packed in the same order (room to grow at the end);
   * `words` may be a view into a buffer the cluster's buckets share (it is replaced, never grown
   * in place, when it is full).
   */
  constructor(
    private objects: EmittedObject[],
    private words: Uint32Array,
  ) {}

  digest(): string {
    // Most buckets of a small bundle are empty: their digest is a constant.
    if (this.objects.length === 0) return EMPTY_BUCKET_DIGEST;
    return hash(
      'sha256',
      new Uint8Array(this.words.buffer, this.words.byteOffset, this.objects.length * DIGEST_WORDS * 4),
      'hex',
    );
  }

  insert(object: EmittedObject): void {
    if (this.objects === NO_OBJECTS) this.objects = [];
    const at = lowerBound(this.objects, object.sortKey);
    const used = this.objects.length * DIGEST_WORDS;
    if (this.words.length < used + DIGEST_WORDS) {
      const grown = new Uint32Array(Math.max(used + DIGEST_WORDS, Math.ceil(used * 1.25)));
      grown.set(this.words.subarray(0, used));
      this.words = grown;
    }
    this.words.copyWithin((at + 1) * DIGEST_WORDS, at * DIGEST_WORDS, used);
    copyDigest(object.digest, this.words, at * DIGEST_WORDS);
    this.objects.splice(at, 0, object);
  }

  /** Removes the object (found by sort key); it must be there. */
  remove(object: EmittedObject): void {
    const at = lowerBound(this.objects, object.sortKey);
    if (this.objects[at] !== object) throw new Error(`${object.sortKey} is not in its hash bucket`);
    this.words.copyWithin(at * DIGEST_WORDS, (at + 1) * DIGEST_WORDS, this.objects.length * DIGEST_WORDS);
    this.objects.splice(at, 1);
  }
}

/** Copies the 8 words of a digest from `from[fromAt..]` to `to[at..]`. */
function copyDigest(from: Uint32Array, to: Uint32Array, at: number, fromAt = 0): void {
  to[at] = from[fromAt]!;
  to[at + 1] = from[fromAt + 1]!;
  to[at + 2] = from[fromAt + 2]!;
  to[at + 3] = from[fromAt + 3]!;
  to[at + 4] = from[fromAt + 4]!;
  to[at + 5] = from[fromAt + 5]!;
  to[at + 6] = from[fromAt + 6]!;
  to[at + 7] = from[fromAt + 7]!;
}

/** Network sets in bundle order (a set's rank is its position), with dense per-rank tables. */
export interface RankedSets {
  readonly sets: readonly EmittedObject[];
  readonly objects: readonly BundleObject[];
  /** Hash bucket per rank. */
  readonly buckets: Uint8Array;
  /** Digest words per rank (8 each). */
  readonly digests: Uint32Array;
}

/** The tables of {@link ClusterObjects.fromRanks} for sets sorted by sort key. */
export function rankSets(sets: readonly EmittedObject[]): RankedSets {
  const digests = new Uint32Array(sets.length * DIGEST_WORDS);
  for (let rank = 0; rank < sets.length; rank++) copyDigest(sets[rank]!.digest, digests, rank * DIGEST_WORDS);
  return {
    sets,
    objects: sets.map((set) => set.object),
    buckets: Uint8Array.from(sets, hashBucket),
    digests,
  };
}

/** The first position whose sort key is not below `key`. */
function lowerBound(list: readonly EmittedObject[], key: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.sortKey < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function bySortKey(a: EmittedObject, b: EmittedObject): number {
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
}
