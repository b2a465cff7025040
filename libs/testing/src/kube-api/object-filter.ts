import { matchesFields, parseFieldSelector } from './field-selector.js';
import type { KubeObject } from './kube-object.js';
import { matchesLabels, parseLabelSelector } from './label-selector.js';
import type { ResourceDefinition } from './resource-registry.js';

export interface FilterOptions {
  /** Only objects in this namespace; all namespaces when undefined. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export type ObjectFilter = (object: KubeObject) => boolean;

/** Parses the selectors (400 BadRequest when malformed) into one predicate for lists and watches. */
export function objectFilter(definition: ResourceDefinition, options: FilterOptions): ObjectFilter {
  const labels = parseLabelSelector(options.labelSelector);
  const fields = parseFieldSelector(options.fieldSelector, definition);
  return (object) =>
    (options.namespace === undefined || object.metadata.namespace === options.namespace) &&
    matchesLabels(labels, object.metadata.labels) &&
    matchesFields(fields, object);
}
