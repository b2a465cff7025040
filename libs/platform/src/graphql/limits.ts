import {
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  /** Deepest field nesting allowed (the root fields are depth 1). */
  maxDepth: number;
  /** Most aliased fields allowed in one document. */
  maxAliases: number;
  /** Highest estimated cost: each field costs 1, times the page size of every list above it. */
  maxCost: number;
  /** Page size assumed for a list field without a `first`/`last`/`limit` argument. */
  defaultListSize: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 50_000,
  defaultListSize: 10,
};

const PAGE_ARGUMENTS = new Set(['first', 'last', 'limit', 'max']);

function limitError(message: string, code: string, node?: FieldNode): GraphQLError {
  return new GraphQLError(message, { nodes: node ? [node] : undefined, extensions: { code } });
}

/** The page size a field asks for, from a literal or a variable; 1 for non-list fields. */
function multiplier(field: FieldNode, variables: Record<string, unknown>, defaultListSize: number): number {
  for (const argument of field.arguments ?? []) {
    if (!PAGE_ARGUMENTS.has(argument.name.value)) continue;
    const { value } = argument;
    if (value.kind === Kind.INT) return Math.max(1, Number(value.value));
    if (value.kind === Kind.VARIABLE) {
      const given = Number(variables[value.name.value]);
      return Number.isFinite(given) && given > 0 ? given : defaultListSize;
    }
  }
  return field.selectionSet && /s$|edges$|nodes$/.test(field.name.value) ? defaultListSize : 1;
}

interface Measure {
  depth: number;
  cost: number;
  aliases: number;
}

/**
 * Measures a selection set once, following fragments (each fragment at most once per path, so a
 * cycle cannot loop). Cost grows with nested list sizes, as the work a query causes does.
 */
function measure(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  seen: Set<string>,
): Measure {
  let depth = 0;
  let cost = 0;
  let aliases = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) aliases += 1;
      if (selection.name.value.startsWith('__')) continue;
      const inner = selection.selectionSet
        ? measure(selection.selectionSet, fragments, variables, limits, seen)
        : { depth: 0, cost: 0, aliases: 0 };
      depth = Math.max(depth, 1 + inner.depth);
      cost += 1 + multiplier(selection, variables, limits.defaultListSize) * inner.cost;
      aliases += inner.aliases;
      continue;
    }
    let inner: Measure = { depth: 0, cost: 0, aliases: 0 };
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, variables, limits, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || seen.has(name)) continue;
      inner = measure(fragment.selectionSet, fragments, variables, limits, new Set(seen).add(name));
    }
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
    aliases += inner.aliases;
  }
  return { depth, cost, aliases };
}

/** A validation rule enforcing depth, alias and cost limits on every operation of a document. */
export function queryLimitsRule(
  limits: QueryLimits = DEFAULT_QUERY_LIMITS,
  variables: Record<string, unknown> = {},
): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    return {
      OperationDefinition(operation) {
        const { depth, cost, aliases } = measure(
          operation.selectionSet,
          fragments,
          variables,
          limits,
          new Set(),
        );
        if (depth > limits.maxDepth) {
          context.reportError(
            limitError(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, 'QUERY_TOO_DEEP'),
          );
        }
        if (aliases > limits.maxAliases) {
          context.reportError(
            limitError(
              `query uses ${aliases} aliases; the limit is ${limits.maxAliases}`,
              'TOO_MANY_ALIASES',
            ),
          );
        }
        if (cost > limits.maxCost) {
          context.reportError(
            limitError(`query cost ${cost} exceeds the limit of ${limits.maxCost}`, 'QUERY_TOO_COSTLY'),
          );
        }
      },
    };
  };
}
