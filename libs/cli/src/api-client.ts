import { CliError } from './cli-error.js';

/** One GraphQL error as the gateway answers it. */
export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; reason?: string; issues?: unknown; [key: string]: unknown };
}

/** The API refused a request: its errors, the first one's message shown. */
export class ApiError extends CliError {
  constructor(readonly errors: GraphQLErrorShape[]) {
    const [first] = errors;
    const code = first?.extensions?.code;
    super(`${code ? `${code}: ` : ''}${first?.message ?? 'request failed'}`);
    this.name = 'ApiError';
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** Requests to the gateway's `/graphql` with a bearer token, within a timeout. */
export class ApiClient {
  constructor(
    readonly url: string,
    private readonly token: string,
    private readonly timeoutMs = 60_000,
  ) {}

  /** The data of a request that had no error; an {@link ApiError} otherwise. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { data, errors } = await this.send<T>(query, variables);
    if (errors && errors.length > 0) throw new ApiError(errors);
    if (data == null) throw new CliError('the API answered no data');
    return data;
  }

  /** The data and the errors, for requests whose data is useful beside an error. */
  async send<T>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<{ data?: T | null; errors?: GraphQLErrorShape[] }> {
    let response: Response;
    try {
      response = await fetch(new URL('/graphql', this.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new CliError(`cannot reach ${this.url}: ${(error as Error).message}`);
    }
    const text = await response.text();
    try {
      return JSON.parse(text) as { data?: T | null; errors?: GraphQLErrorShape[] };
    } catch {
      throw new CliError(`${this.url} answered ${response.status} with no GraphQL response`);
    }
  }
}
