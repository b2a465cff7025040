import { type ConfigObject, type ConfigObjectRef, configObjectKey } from '@meshplane/protocol';

/** The objects of `next` that are new or changed against `base`, and the keys `base` had that `next` lacks. */
export function bundleDiff(
  base: readonly ConfigObject[],
  next: readonly ConfigObject[],
): { upserts: ConfigObject[]; deletes: ConfigObjectRef[] } {
  const before = new Map(base.map((object) => [configObjectKey(object), JSON.stringify(object)]));
  const upserts: ConfigObject[] = [];
  const keep = new Set<string>();
  for (const object of next) {
    const key = configObjectKey(object);
    keep.add(key);
    if (before.get(key) !== JSON.stringify(object)) upserts.push(object);
  }
  const deletes: ConfigObjectRef[] = [];
  for (const object of base) {
    if (keep.has(configObjectKey(object))) continue;
    const { apiVersion, kind, metadata } = object;
    deletes.push({
      apiVersion,
      kind,
      name: metadata.name,
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    });
  }
  return { upserts, deletes };
}
