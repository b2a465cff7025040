/** One line of a line diff: kept (' '), only in the later text ('+'), only in the earlier ('-'). */
export interface DiffLine {
  readonly op: ' ' | '+' | '-';
  readonly text: string;
}

/** Lines above which the diff gives up on alignment (its table is lines × lines). */
export const MAX_DIFF_LINES = 3_000;

/**
 * The line diff of two texts (longest common subsequence): what the editor's text changes in the
 * current version. Beyond MAX_DIFF_LINES the earlier text is shown removed and the later added.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.at(-1) === '') a.pop();
  if (b.at(-1) === '') b.pop();
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES)
    return [
      ...a.map((text) => ({ op: '-' as const, text })),
      ...b.map((text) => ({ op: '+' as const, text })),
    ];
  const width = b.length + 1;
  // lcs[i * width + j]: length of the common subsequence of a[i..] and b[j..].
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1)
    for (let j = b.length - 1; j >= 0; j -= 1)
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i += 1;
      j += 1;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < a.length) out.push({ op: '-', text: a[i++]! });
  while (j < b.length) out.push({ op: '+', text: b[j++]! });
  return out;
}
