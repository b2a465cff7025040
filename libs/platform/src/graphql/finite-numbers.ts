import {
  type ASTNode,
  type ASTVisitor,
  GraphQLError,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * Numbers too large for a double (`1e400`) parse as Infinity; sent on to a subgraph as JSON they
 * become null, which an update may read as "clear the field". The gateway refuses them instead,
 * in literals (this rule) and in variables ({@link nonFiniteVariable}).
 */
export const finiteNumbersRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const check = (node: ASTNode & { value: string }) => {
    if (!Number.isFinite(Number(node.value))) context.reportError(notFiniteError(node.value, node));
  };
  return { FloatValue: check, IntValue: check };
};

/** The path of the first non-finite number among the variables, as `i.order`; undefined if none. */
export function nonFiniteVariable(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nonFiniteVariable(inner, path === '' ? key : `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function notFiniteError(what: string, node?: ASTNode): GraphQLError {
  return new GraphQLError(`${what} is not a finite number (too large for a 64-bit float)`, {
    ...(node ? { nodes: node } : {}),
    extensions: { code: 'BAD_USER_INPUT' },
  });
}
