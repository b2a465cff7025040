/**
 * Splits items into batches that respect both a count limit and an encoded-size budget, so
 * each batch fits in one frame. `sizeOf` is the item's JSON size in bytes; `overheadBytes` the
 * envelope around the list. An item too large for any frame is returned in `oversized` and left
 * out (the caller logs it), since no split could ever send it.
 */
export function splitIntoBatches<T>(
  items: readonly T[],
  limits: { maxItems: number; maxBytes: number; overheadBytes: number },
  sizeOf: (item: T) => number,
): { batches: T[][]; oversized: T[] } {
  const budget = limits.maxBytes - limits.overheadBytes;
  const batches: T[][] = [];
  const oversized: T[] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = sizeOf(item) + 1; // the comma between list items
    if (bytes > budget) {
      oversized.push(item);
      continue;
    }
    if (current.length === limits.maxItems || currentBytes + bytes > budget) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversized };
}
