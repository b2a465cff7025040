/** One GraphQL error as the gateway sends it. */
export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; field?: string; reason?: string; [key: string]: unknown };
}

/** One bad input field as the API names it (`input.spec.ingress[0].action`) and what is wrong. */
export interface FieldProblem {
  readonly field?: string;
  readonly message: string;
}

/**
 * Every field problem of one error: the policies API lists `extensions.issues` (`path`), parseInput
 * `extensions.fields` (`field`); otherwise the error's own `field`, or the path GraphQL's variable
 * coercion names in its message (`… at "input.spec.types[0]"; Value "x" does not exist …`).
 */
function problemsOf(error: GraphQLErrorBody): FieldProblem[] {
  const listed = error.extensions?.issues ?? error.extensions?.fields;
  if (Array.isArray(listed)) {
    const problems = listed.flatMap((item: unknown) => {
      const { path, field, message } = (item ?? {}) as Record<string, unknown>;
      const name = typeof path === 'string' ? path : typeof field === 'string' ? field : undefined;
      return typeof message === 'string' ? [{ field: name, message }] : [];
    });
    if (problems.length > 0) return problems;
  }
  if (typeof error.extensions?.field === 'string')
    return [{ field: error.extensions.field, message: error.message }];
  const coerced = /^Variable "\$\w+" got invalid value .* at "([^"]+)"; (.*)$/s.exec(error.message);
  if (coerced) {
    const undefinedField = /^Field "(\w+)" is not defined/.exec(coerced[2]!);
    const field = undefinedField ? `${coerced[1]}.${undefinedField[1]}` : coerced[1];
    return [{ field, message: coerced[2]! }];
  }
  return [{ message: error.message }];
}

/**
 * An API call that failed: the server's message (and the input field it names, if any), ready
 * to show as is. `status` is the HTTP status (0 when the network failed). `problems` lists every
 * field problem the errors name, for a form (or the policy editor) to mark each.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly field?: string,
    readonly problems: readonly FieldProblem[] = [{ field, message }],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromErrors(errors: GraphQLErrorBody[], status: number): ApiError {
    const first = errors[0];
    const message = errors.map((error) => error.message).join('; ') || `request failed (HTTP ${status})`;
    const field = typeof first?.extensions?.field === 'string' ? first.extensions.field : undefined;
    return new ApiError(message, status, first?.extensions?.code, field, errors.flatMap(problemsOf));
  }

  get unauthenticated(): boolean {
    return this.status === 401 || this.code === 'UNAUTHENTICATED';
  }
}

/** Reads a JSON answer of the gateway; anything else (a proxy's HTML page) becomes an ApiError. */
export async function readJson(response: Response): Promise<Record<string, unknown>> {
  try {
    return (await response.json()) as Record<string, unknown>;
  } catch {
    throw new ApiError(`the server answered HTTP ${response.status} without JSON`, response.status);
  }
}

export function networkError(error: unknown): ApiError {
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError(`the control plane cannot be reached (${detail})`, 0);
}
