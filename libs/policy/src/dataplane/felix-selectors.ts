import type { SelectorNode } from '../selector/ast.js';
import * as ast from '../selector/ast.js';
import { parseSelector } from '../selector/parser.js';
import { SelectorError } from '../selector/selector.errors.js';
import { mapSelector } from '../selector/selector.js';
import { DataplaneError } from './dataplane.errors.js';

/**
 * How libcalico-go turns `projectcalico.org/v3` selectors into the single selectors Felix matches
 * endpoint labels with (libcalico-go/lib/backend/syncersv1/updateprocessors: rules.go
 * `getEndpointSelector` and `parseServiceAccounts`, networkpolicyprocessor.go,
 * globalnetworkpolicyprocessor.go, selectors.go `parseSelectorAttachPrefix`). Namespace and
 * service-account selectors become selectors over labels the endpoint inherits from its profiles,
 * prefixed `pcns.` and `pcsa.`; a namespaced policy's selectors are ANDed with its namespace.
 */

export const LABEL_NAMESPACE = 'projectcalico.org/namespace';
export const LABEL_SERVICE_ACCOUNT = 'projectcalico.org/serviceaccount';
export const LABEL_ORCHESTRATOR = 'projectcalico.org/orchestrator';
/** The label a namespace or service account profile carries with its own name (before prefixing). */
export const LABEL_NAME = 'projectcalico.org/name';
export const NAMESPACE_PREFIX = 'pcns.';
export const SERVICE_ACCOUNT_PREFIX = 'pcsa.';

/** Parses a v3 selector; an empty one is absent (undefined), as Calico's `!= ""` checks treat it. */
export function parseV3(text: string | undefined, where: string): SelectorNode | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseSelector(text);
  } catch (error) {
    if (error instanceof SelectorError)
      throw new DataplaneError('INVALID_OBJECT', `${where}: ${error.message}`);
    throw error;
  }
}

/** `parseSelectorAttachPrefix`: every label name the selector mentions gets the prefix. */
export function attachPrefix(node: SelectorNode, prefix: string): SelectorNode {
  return mapSelector(node, (n) => {
    switch (n.kind) {
      case 'has':
        return ast.has(prefix + n.label);
      case 'eq':
      case 'ne':
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        return ast.valueMatch(n.kind, prefix + n.label, n.value);
      case 'in':
        return ast.inSet(prefix + n.label, n.values);
      case 'notIn':
        return ast.notInSet(prefix + n.label, n.values);
      default:
        return n;
    }
  });
}

/** Calico's textual `strings.Replace(selector, "all()", …)`, done on the tree. */
function replaceAll(node: SelectorNode, by: SelectorNode): SelectorNode {
  return mapSelector(node, (n) => (n.kind === 'all' ? by : n));
}

function replaceGlobal(node: SelectorNode, by: SelectorNode): SelectorNode {
  return mapSelector(node, (n) => (n.kind === 'global' ? by : n));
}

const HAS_NAMESPACE = ast.has(LABEL_NAMESPACE);

/** The selector of a namespaced `NetworkPolicy` (or its staged kind) as Felix matches it. */
export function networkPolicySelector(
  spec: { selector?: string; serviceAccountSelector?: string },
  namespace: string,
  where: string,
): SelectorNode {
  const own = parseV3(spec.selector, `${where}.spec.selector`);
  const inNamespace = ast.eq(LABEL_NAMESPACE, namespace);
  let node = own === undefined ? inNamespace : ast.and(own, inNamespace);
  const accounts = parseV3(spec.serviceAccountSelector, `${where}.spec.serviceAccountSelector`);
  if (accounts !== undefined) node = ast.and(node, attachPrefix(accounts, SERVICE_ACCOUNT_PREFIX));
  return node;
}

/** The selector of a `GlobalNetworkPolicy` as Felix matches it (`all()` rewritten as Calico does). */
export function globalPolicySelector(
  spec: { selector?: string; namespaceSelector?: string; serviceAccountSelector?: string },
  where: string,
): SelectorNode {
  let node = parseV3(spec.selector, `${where}.spec.selector`);
  const namespaces = parseV3(spec.namespaceSelector, `${where}.spec.namespaceSelector`);
  if (namespaces !== undefined) {
    const prefixed = attachPrefix(namespaces, NAMESPACE_PREFIX);
    node = replaceAll(node === undefined ? prefixed : ast.and(node, prefixed), HAS_NAMESPACE);
  }
  const accounts = parseV3(spec.serviceAccountSelector, `${where}.spec.serviceAccountSelector`);
  if (accounts !== undefined) {
    const prefixed = attachPrefix(accounts, SERVICE_ACCOUNT_PREFIX);
    node = replaceAll(
      node === undefined ? prefixed : ast.and(node, prefixed),
      ast.has(LABEL_SERVICE_ACCOUNT),
    );
  }
  return node ?? ast.all();
}

/** The v3 entity rule fields that select endpoints. */
export interface EntitySelectors {
  readonly selector?: string;
  readonly notSelector?: string;
  readonly namespaceSelector?: string;
  readonly serviceAccounts?: { readonly names?: readonly string[]; readonly selector?: string };
}

/**
 * `getEndpointSelector`: the positive selector of an entity rule (undefined = the rule does not
 * restrict the peer by selector), for a rule of a policy in `namespace` (undefined = global).
 */
export function entityRuleSelector(
  entity: EntitySelectors,
  namespace: string | undefined,
  where: string,
): SelectorNode | undefined {
  let nsSelector: SelectorNode | undefined;
  const namespaces = parseV3(entity.namespaceSelector, `${where}.namespaceSelector`);
  if (namespaces !== undefined) {
    nsSelector = replaceGlobal(
      replaceAll(attachPrefix(namespaces, NAMESPACE_PREFIX), HAS_NAMESPACE),
      ast.not(HAS_NAMESPACE),
    );
  } else if (namespace !== undefined) {
    nsSelector = ast.eq(LABEL_NAMESPACE, namespace);
  }
  const parts: SelectorNode[] = [];
  const accounts = serviceAccountSelector(entity.serviceAccounts, `${where}.serviceAccounts`);
  if (accounts !== undefined) parts.push(accounts);
  const own = parseV3(entity.selector, `${where}.selector`);
  if (own !== undefined) parts.push(own);
  let selector = parts.length === 0 ? undefined : ast.and(...parts);
  const notSelector = parseV3(entity.notSelector, `${where}.notSelector`);
  if (
    nsSelector !== undefined &&
    (selector !== undefined || notSelector !== undefined || namespaces !== undefined)
  ) {
    selector = selector === undefined ? nsSelector : ast.and(nsSelector, selector);
  }
  return selector;
}

/** `parseServiceAccounts`: the label selector, prefixed `pcsa.`, ANDed with the names. */
function serviceAccountSelector(
  accounts: EntitySelectors['serviceAccounts'],
  where: string,
): SelectorNode | undefined {
  if (accounts === undefined) return undefined;
  const labels = parseV3(accounts.selector, `${where}.selector`);
  const prefixed = labels === undefined ? undefined : attachPrefix(labels, SERVICE_ACCOUNT_PREFIX);
  if (accounts.names === undefined || accounts.names.length === 0) return prefixed;
  const names = ast.inSet(LABEL_SERVICE_ACCOUNT, accounts.names);
  return prefixed === undefined ? names : ast.and(prefixed, names);
}
