import { describe, expect, it } from 'vitest';
import { MAX_SPEC_STRING_LENGTH, specLimitIssues } from './policy-limits.js';

describe('policy size limits', () => {
  it('names the path of an overlong string anywhere in the spec', () => {
    const long = 'x'.repeat(MAX_SPEC_STRING_LENGTH + 1);
    const issues = specLimitIssues({ ingress: [{ action: 'Allow', http: { paths: [{ prefix: long }] } }] });
    expect(issues).toEqual([
      { path: 'spec.ingress[0].http.paths[0].prefix', message: expect.stringContaining('limit') },
    ]);
  });

  it('accepts strings at the limit', () => {
    expect(specLimitIssues({ selector: 'x'.repeat(MAX_SPEC_STRING_LENGTH) })).toEqual([]);
  });
});
