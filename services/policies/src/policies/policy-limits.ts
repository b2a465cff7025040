import type { ValidationIssue } from '@meshplane/policy';

/** Longest string anywhere in a spec (selectors have the same limit in Calico). */
export const MAX_SPEC_STRING_LENGTH = 1024;
/** Largest stored spec, as JSON. 1024 rules per direction fit comfortably. */
export const MAX_SPEC_BYTES = 1024 * 1024;

/**
 * Size limits `validatePolicy` does not cover: every string in the spec and the whole spec.
 * Paths use the validator's form (`spec.ingress[0].http.paths[1].prefix`).
 */
export function specLimitIssues(spec: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (value.length > MAX_SPEC_STRING_LENGTH) {
        issues.push({
          path,
          message: `is ${value.length} characters long; the limit is ${MAX_SPEC_STRING_LENGTH}`,
        });
      }
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, `${path}[${i}]`);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) visit(inner, `${path}.${key}`);
    }
  };
  visit(spec, 'spec');
  const bytes = Buffer.byteLength(JSON.stringify(spec ?? {}));
  if (bytes > MAX_SPEC_BYTES)
    issues.push({ path: 'spec', message: `is ${bytes} bytes; the limit is ${MAX_SPEC_BYTES}` });
  return issues;
}
