/** One GraphQL error as the gateway sends it. */
export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; field?: string; reason?: string; [key: string]: unknown };
}

/**
 * An API call that failed: the server's message (and the input field it names, if any), ready
 * to show as is. `status` is the HTTP status (0 when the network failed).
 */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromErrors(errors: GraphQLErrorBody[], status: number): ApiError {
    const first = errors[0];
    const message = errors.map((error) => error.message).join('; ') || `request failed (HTTP ${status})`;
    const field = typeof first?.extensions?.field === 'string' ? first.extensions.field : undefined;
    return new ApiError(message, status, first?.extensions?.code, field);
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
