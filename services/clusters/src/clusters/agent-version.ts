const RELEASE = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** `meshplane/agent:0.2.0` → `0.2.0`; undefined when the tag is no release (a digest, `latest`). */
export function imageVersion(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= slash) return undefined;
  const tag = image.slice(colon + 1);
  return RELEASE.test(tag) ? tag.replace(/^v/, '') : undefined;
}

/**
 * Whether `reported` is an older release than `recommended` (major.minor.patch; a pre-release is
 * older than its release). A version that is no release is not called older.
 */
export function isOlderVersion(reported: string, recommended: string): boolean {
  const a = RELEASE.exec(reported);
  const b = RELEASE.exec(recommended);
  if (!a || !b) return false;
  for (let part = 1; part <= 3; part++) {
    const difference = Number(a[part]) - Number(b[part]);
    if (difference !== 0) return difference < 0;
  }
  return a[4] !== undefined && b[4] === undefined;
}
