/** Parses `key=value, key=value` into labels; throws a message naming the bad part. */
export function parseLabels(input: string): Array<{ key: string; value: string }> {
  const parts = input
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.map((part) => {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (separator < 1 || !key) {
      throw new Error(`labels: "${part}" is not key=value (separate labels with commas)`);
    }
    return { key, value };
  });
}
