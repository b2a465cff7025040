/** Every way compiling a tenant's bundles can fail (each is a broken invariant of stored state). */
export type CompilerErrorCode = 'UNKNOWN_TIER' | 'INVALID_SELECTOR' | 'DUPLICATE_CLUSTER';

const MESSAGES: Record<CompilerErrorCode, string> = {
  UNKNOWN_TIER: 'a policy names a tier the tenant does not have',
  INVALID_SELECTOR: 'a stored selector does not parse',
  DUPLICATE_CLUSTER: 'two clusters share an id or a name',
};

export class CompilerError extends Error {
  override readonly name = 'CompilerError';

  constructor(
    readonly code: CompilerErrorCode,
    readonly detail: string,
  ) {
    super(`${MESSAGES[code]}: ${detail}`);
  }
}
