import {
  type ASTVisitor,
  GraphQLError,
  type StringValueNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * PostgreSQL cannot store U+0000 in text (`invalid byte sequence for encoding "UTF8": 0x00`), and
 * no name, selector, label or message of Meshplane's has a use for it. The gateway refuses it in
 * string literals (this rule) and in variables ({@link nulStringVariable}) with BAD_USER_INPUT,
 * before any subgraph sees it, instead of each statement failing as an internal error.
 */
export const nulStringsRule: ValidationRule = (context: ValidationContext): ASTVisitor => ({
  StringValue(node: StringValueNode) {
    if (node.value.includes('\u0000')) context.reportError(nulStringError('a string literal', node));
  },
});

/** The path of the first string (or object key) holding U+0000 among the variables; undefined if none. */
export function nulStringVariable(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (key.includes('\u0000')) return at;
    const found = nulStringVariable(inner, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function nulStringError(what: string, node?: StringValueNode): GraphQLError {
  return new GraphQLError(`${what} contains the NUL character (U+0000), which no field accepts`, {
    ...(node ? { nodes: node } : {}),
    extensions: { code: 'BAD_USER_INPUT', ...(node ? {} : { field: what.replace(/^variables\./, '') }) },
  });
}
