import type { SelectorNode } from './ast.js';

/** A label map as Kubernetes and Calico know it. */
export type Labels = Readonly<Record<string, string>>;

/** A compiled selector: call it as often as needed, it never re-parses or allocates. */
export type LabelMatcher = (labels: Labels) => boolean;

const matchAll: LabelMatcher = () => true;

/**
 * Compiles a selector tree into a tree of closures. Label lookups read the record directly;
 * a value counts as present only when it is a string, so keys inherited from `Object.prototype`
 * (`constructor`, `toString`...) are never mistaken for labels.
 */
export function compileSelector(node: SelectorNode): LabelMatcher {
  switch (node.kind) {
    case 'all':
    case 'global':
      return matchAll;
    case 'has': {
      const { label } = node;
      return (labels) => typeof labels[label] === 'string';
    }
    case 'eq': {
      const { label, value } = node;
      return (labels) => labels[label] === value;
    }
    case 'ne': {
      const { label, value } = node;
      return (labels) => labels[label] !== value;
    }
    case 'contains': {
      const { label, value } = node;
      return (labels) => {
        const actual = labels[label];
        return typeof actual === 'string' && actual.includes(value);
      };
    }
    case 'startsWith': {
      const { label, value } = node;
      return (labels) => {
        const actual = labels[label];
        return typeof actual === 'string' && actual.startsWith(value);
      };
    }
    case 'endsWith': {
      const { label, value } = node;
      return (labels) => {
        const actual = labels[label];
        return typeof actual === 'string' && actual.endsWith(value);
      };
    }
    case 'in': {
      const isMember = compileMembership(node.label, node.values);
      return isMember;
    }
    case 'notIn': {
      const isMember = compileMembership(node.label, node.values);
      return (labels) => !isMember(labels);
    }
    case 'not': {
      const operand = compileSelector(node.operand);
      return (labels) => !operand(labels);
    }
    case 'and':
      return compileAnd(node.operands.map(compileSelector));
    case 'or':
      return compileOr(node.operands.map(compileSelector));
  }
}

/** Small sets compare inline (faster than hashing); larger ones use a Set. */
function compileMembership(label: string, values: readonly string[]): LabelMatcher {
  switch (values.length) {
    case 0:
      return () => false;
    case 1: {
      const [a] = values;
      return (labels) => labels[label] === a;
    }
    case 2: {
      const [a, b] = values;
      return (labels) => {
        const actual = labels[label];
        return actual === a || actual === b;
      };
    }
    case 3: {
      const [a, b, c] = values;
      return (labels) => {
        const actual = labels[label];
        return actual === a || actual === b || actual === c;
      };
    }
    default: {
      const set = new Set(values);
      return (labels) => {
        const actual = labels[label];
        return typeof actual === 'string' && set.has(actual);
      };
    }
  }
}

function compileAnd(operands: LabelMatcher[]): LabelMatcher {
  if (operands.length === 2) {
    const [a, b] = operands as [LabelMatcher, LabelMatcher];
    return (labels) => a(labels) && b(labels);
  }
  if (operands.length === 3) {
    const [a, b, c] = operands as [LabelMatcher, LabelMatcher, LabelMatcher];
    return (labels) => a(labels) && b(labels) && c(labels);
  }
  return (labels) => {
    for (const operand of operands) if (!operand(labels)) return false;
    return true;
  };
}

function compileOr(operands: LabelMatcher[]): LabelMatcher {
  if (operands.length === 2) {
    const [a, b] = operands as [LabelMatcher, LabelMatcher];
    return (labels) => a(labels) || b(labels);
  }
  if (operands.length === 3) {
    const [a, b, c] = operands as [LabelMatcher, LabelMatcher, LabelMatcher];
    return (labels) => a(labels) || b(labels) || c(labels);
  }
  return (labels) => {
    for (const operand of operands) if (operand(labels)) return true;
    return false;
  };
}
