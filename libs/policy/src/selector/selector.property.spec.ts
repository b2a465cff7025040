import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSelector } from './compile.js';
import { interpretSelector } from './interpret.js';
import { parseSelector } from './parser.js';
import { printSelector } from './print.js';
import { labelRestrictions } from './restrictions.js';
import { labelsArb, selectorNodeArb } from './selector.fixtures.js';

describe('selector properties', () => {
  it('the compiled matcher agrees with the reference interpreter', () => {
    fc.assert(
      fc.property(selectorNodeArb, fc.array(labelsArb, { minLength: 1, maxLength: 8 }), (node, labelMaps) => {
        const matches = compileSelector(node);
        for (const labels of labelMaps) expect(matches(labels)).toBe(interpretSelector(node, labels));
      }),
      { numRuns: 2000 },
    );
  });

  it('parsing the printed form gives back the same tree, and printing is stable', () => {
    fc.assert(
      fc.property(selectorNodeArb, (node) => {
        const printed = printSelector(node);
        const reparsed = parseSelector(printed);
        expect(reparsed).toEqual(node);
        expect(printSelector(reparsed)).toBe(printed);
      }),
      { numRuns: 2000 },
    );
  });

  it('every label map a selector matches satisfies its label restrictions', () => {
    fc.assert(
      fc.property(selectorNodeArb, labelsArb, (node, labels) => {
        fc.pre(compileSelector(node)(labels));
        for (const [label, restriction] of labelRestrictions(node)) {
          expect(Object.hasOwn(labels, label)).toBe(true);
          if (restriction.values !== undefined) expect(restriction.values.has(labels[label]!)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
