/**
 * The agent's errors, a closed set. Each code says whether retrying can help, so callers decide
 * between "back off and try again" and "stop and tell the operator" in one place.
 */
export const AGENT_ERRORS = {
  /** An environment variable or option is missing or malformed. */
  config_invalid: { retryable: false },
  /** The simulated driver's scenario file cannot be read or does not validate. */
  scenario_invalid: { retryable: false },
  /** No stored credential and no bootstrap token to exchange for one. */
  bootstrap_token_missing: { retryable: false },
  /** The API refused the bootstrap token or credential (4xx other than 429). */
  credential_refused: { retryable: false },
  /** The API could not be reached or failed on its side (network, 5xx, 429). */
  credential_unavailable: { retryable: true },
  /** The API answered with something that is not the documented shape. */
  credential_response_invalid: { retryable: true },
  /** The credential store could not be read or written. */
  credential_store_failed: { retryable: true },
} as const satisfies Record<string, { retryable: boolean }>;

export type AgentErrorCode = keyof typeof AGENT_ERRORS;

export class AgentError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: AgentErrorCode,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AgentError';
    this.retryable = options?.retryable ?? AGENT_ERRORS[code].retryable;
  }
}

export function isAgentError(error: unknown, code?: AgentErrorCode): error is AgentError {
  return error instanceof AgentError && (code === undefined || error.code === code);
}

/** A short description of any thrown value, for log lines. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
