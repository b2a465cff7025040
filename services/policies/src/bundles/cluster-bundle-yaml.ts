import type { ConfigObject } from '@meshplane/protocol';
import { stringify } from 'yaml';

/**
 * A bundle's objects as one multi-document YAML stream, in the bundle's own (deterministic)
 * order, so the same bundle always prints the same text and `kubectl apply -f` reads it.
 */
export function bundleYaml(objects: readonly ConfigObject[]): string {
  return objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
}
