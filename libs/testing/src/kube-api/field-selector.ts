import { badRequest } from './kube-api.errors.js';
import type { KubeObject } from './kube-object.js';
import type { ResourceDefinition } from './resource-registry.js';

export interface FieldRequirement {
  field: string;
  operator: 'Equals' | 'NotEquals';
  value: string;
}

/** A parsed field selector: every requirement must hold. */
export type FieldSelector = FieldRequirement[];

const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];

/** Splits on unescaped commas and removes the `\` escapes the API accepts in values. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let index = 0; index < selector.length; index += 1) {
    const char = selector[index]!;
    if (char === '\\' && index + 1 < selector.length) {
      current += char + selector[index + 1];
      index += 1;
    } else if (char === ',') {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms;
}

function removeEscapes(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function parseTerm(term: string, supported: string[]): FieldRequirement {
  const match = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term.trim());
  if (!match) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
  const field = match[1]!;
  if (!supported.includes(field)) throw badRequest(`field label not supported: ${field}`);
  return { field, operator: match[2] === '!=' ? 'NotEquals' : 'Equals', value: removeEscapes(match[3]!) };
}

/**
 * Parses the `fieldSelector` query parameter. Like the real server, only `metadata.name`,
 * `metadata.namespace` and the resource's own extra fields (e.g. `spec.nodeName` on pods) are
 * accepted; anything else is 400 BadRequest.
 */
export function parseFieldSelector(
  selector: string | undefined,
  definition: ResourceDefinition,
): FieldSelector {
  if (selector === undefined || selector.trim() === '') return [];
  const supported = [...COMMON_FIELDS, ...(definition.extraFieldSelectors ?? [])];
  return splitTerms(selector).map((term) => parseTerm(term, supported));
}

function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[segment];
  }
  return current === undefined || current === null ? '' : String(current);
}

export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  return selector.every((requirement) => {
    const equal = fieldValue(object, requirement.field) === requirement.value;
    return requirement.operator === 'Equals' ? equal : !equal;
  });
}
