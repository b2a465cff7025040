import { readFileSync } from 'node:fs';
import { buildASTSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LOGOUT_OPERATION, SESSION_OPERATIONS } from './session-operations.js';

const supergraph = buildASTSchema(
  parse(readFileSync(new URL('../../supergraph.graphql', import.meta.url), 'utf8')),
  { assumeValidSDL: true },
);

describe('the session endpoints’ operations', () => {
  it('validate against the committed supergraph', () => {
    for (const [name, operation] of Object.entries({ ...SESSION_OPERATIONS, logout: LOGOUT_OPERATION })) {
      expect(
        validate(supergraph, parse(operation)).map((error) => error.message),
        name,
      ).toEqual([]);
    }
  });

  it('would catch a field the supergraph lacks', () => {
    const broken = LOGOUT_OPERATION.replace('endedAt', 'endedWhen');
    expect(validate(supergraph, parse(broken)).map((error) => error.message)).toEqual([
      'Cannot query field "endedWhen" on type "LogoutPayload". Did you mean "endedAt"?',
    ]);
  });
});
