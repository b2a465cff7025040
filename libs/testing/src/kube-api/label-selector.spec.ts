import { describe, expect, it } from 'vitest';
import { KubeApiError } from './kube-api.errors.js';
import { matchesLabels, parseLabelSelector } from './label-selector.js';

const matches = (selector: string, labels: Record<string, string>) =>
  matchesLabels(parseLabelSelector(selector), labels);

describe('parseLabelSelector', () => {
  it('parses every operator into requirements', () => {
    expect(
      parseLabelSelector('a=1, b==2,c!=3,d in (x, y),e notin (z),f,!g,h>4,app.kubernetes.io/name=web'),
    ).toEqual([
      { key: 'a', operator: 'In', values: ['1'] },
      { key: 'b', operator: 'In', values: ['2'] },
      { key: 'c', operator: 'NotIn', values: ['3'] },
      { key: 'd', operator: 'In', values: ['x', 'y'] },
      { key: 'e', operator: 'NotIn', values: ['z'] },
      { key: 'f', operator: 'Exists' },
      { key: 'g', operator: 'DoesNotExist' },
      { key: 'h', operator: 'Gt', value: 4 },
      { key: 'app.kubernetes.io/name', operator: 'In', values: ['web'] },
    ]);
  });

  it('treats an empty or missing selector as matching everything', () => {
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector(undefined)).toEqual([]);
  });

  it.each(['a in b', 'a=(b)', '=b', 'a b', 'a in (b,'])('rejects %j with a BadRequest error', (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(KubeApiError);
  });
});

describe('matchesLabels', () => {
  it('applies Kubernetes semantics to absent keys', () => {
    expect(matches('a!=1', {})).toBe(true);
    expect(matches('a notin (1)', {})).toBe(true);
    expect(matches('a in (1)', {})).toBe(false);
    expect(matches('a=1', { a: '1' })).toBe(true);
    expect(matches('a=1,b', { a: '1' })).toBe(false);
    expect(matches('!b', { a: '1' })).toBe(true);
    expect(matches('n>3', { n: '4' })).toBe(true);
    expect(matches('n<3', { n: 'x' })).toBe(false);
  });
});
