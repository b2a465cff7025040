import {
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  valueFromAST,
} from 'graphql';

export interface QueryLimits {
  /** Deepest field nesting allowed (the root fields are depth 1). */
  maxDepth: number;
  /** Most aliased fields allowed in one document. */
  maxAliases: number;
  /** Highest cost of one request (see {@link queryCost}). */
  maxCost: number;
  /** Items assumed for a list field with no page size of its own or of its connection. */
  defaultListSize: number;
  /** Most lexical tokens a document may have (the parser stops there). */
  maxTokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 50_000,
  defaultListSize: 10,
  maxTokens: 5_000,
};

const PAGE_ARGUMENTS = new Set(['first', 'last', 'limit', 'max']);

function limitError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

/** Depth and aliases of a selection set, following each fragment at most once per path. */
function shape(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: ReadonlySet<string>,
): { depth: number; aliases: number } {
  let depth = 0;
  let aliases = 0;
  for (const selection of selectionSet.selections) {
    let inner = { depth: 0, aliases: 0 };
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) aliases += 1;
      if (selection.name.value.startsWith('__')) continue;
      if (selection.selectionSet) inner = shape(selection.selectionSet, fragments, seen);
      depth = Math.max(depth, 1 + inner.depth);
      aliases += inner.aliases;
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = shape(selection.selectionSet, fragments, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || seen.has(name)) continue;
      inner = shape(fragment.selectionSet, fragments, new Set(seen).add(name));
    }
    depth = Math.max(depth, inner.depth);
    aliases += inner.aliases;
  }
  return { depth, aliases };
}

/**
 * A validation rule for what the document alone decides: depth and aliases of every operation.
 * It does not depend on variables, so a validation cache keyed by the document may keep its
 * answer; the cost, which does, is {@link queryCost}, computed for every request.
 */
export function queryShapeRule(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = fragmentsOf(context.getDocument());
    return {
      OperationDefinition(operation) {
        const { depth, aliases } = shape(operation.selectionSet, fragments, new Set());
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
      },
    };
  };
}

/**
 * The page size a field asks for: its `first`/`last`/`limit`/`max` argument as the request gives
 * it (a literal, a variable's value, else the argument's default in the schema); undefined when
 * the field has no such argument or none is given.
 */
function pageSize(
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  variables: Record<string, unknown>,
): number | undefined {
  for (const argument of field.args) {
    if (!PAGE_ARGUMENTS.has(argument.name)) continue;
    const given = node.arguments?.find((a) => a.name.value === argument.name);
    const value =
      given === undefined ? argument.defaultValue : valueFromAST(given.value, argument.type, variables);
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
  }
  return undefined;
}

class CostWalker {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly defaultListSize: number,
  ) {}

  /**
   * Objects a selection set asks for: every field of object type counts its objects (1, or the
   * list's size), leaves are free; a list's size is its own page size, else that of the
   * connection field right above it (`flows(first: 100) { nodes }` is 100 nodes, not 100 × 10),
   * else the default. Fragments are followed once per path.
   */
  cost(
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    inheritedPage: number | undefined,
    seen: ReadonlySet<string>,
  ): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__') || !selection.selectionSet) continue;
        const field =
          isObjectType(parent) || isInterfaceType(parent)
            ? parent.getFields()[selection.name.value]
            : undefined;
        if (field === undefined) continue;
        const type = getNamedType(field.type);
        if (!isCompositeType(type)) continue;
        const page = pageSize(selection, field, this.variables);
        const list = isListType(getNullableType(field.type));
        const count = list ? (page ?? inheritedPage ?? this.defaultListSize) : 1;
        total += count * (1 + this.cost(selection.selectionSet, type, list ? undefined : page, seen));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? this.schema.getType(selection.typeCondition.name.value)
          : parent;
        total += this.cost(selection.selectionSet, condition ?? parent, inheritedPage, seen);
        continue;
      }
      const name = selection.name.value;
      const fragment = this.fragments[name];
      if (!fragment || seen.has(name)) continue;
      const condition = this.schema.getType(fragment.typeCondition.name.value) ?? parent;
      total += this.cost(fragment.selectionSet, condition, inheritedPage, new Set(seen).add(name));
    }
    return total;
  }
}

/**
 * The cost of one request: the number of objects its operation asks for, with the request's own
 * variables (so the same text costs what each request asks, and one request's answer never
 * stands for another's). Scalars are free; lists count their page size. (graphql-armor's cost
 * limit prices the text alone — a fixed cost per object and scalar, growing with depth — so it
 * cannot tell `first: 1` from `first: 1000`; the page size is most of what a query costs here.)
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  limits: Pick<QueryLimits, 'defaultListSize'> = DEFAULT_QUERY_LIMITS,
): number {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    operationName == null ? operations[0] : operations.find((o) => o.name?.value === operationName);
  if (operation === undefined) return 0;
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) return 0;
  const walker = new CostWalker(schema, fragmentsOf(document), variables ?? {}, limits.defaultListSize);
  return walker.cost(operation.selectionSet, root, undefined, new Set());
}

/** The error for a request over the cost limit, saying how to bring it under. */
export function queryCostError(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `query cost ${cost} exceeds the limit of ${maxCost}: the cost is the number of objects asked for ` +
      '(each list counts its page size, `first`); ask for smaller pages or fewer nested lists',
    { extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost } },
  );
}
