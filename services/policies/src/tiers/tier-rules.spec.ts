import { describe, expect, it } from 'vitest';
import { reservedNameMessage, tierIssues } from './tier-rules.js';

describe('reservedNameMessage', () => {
  it.each(['default', 'kube-admin', 'kube-baseline'])(
    "refuses Calico's built-in tier name %s, saying it is built in",
    (name) => {
      expect(reservedNameMessage(name)).toBe(
        `the tier name '${name}' is reserved: it is one of Calico's built-in tiers (default, kube-admin, kube-baseline), which Calico creates itself with a fixed order and default action`,
      );
    },
  );

  it("refuses Meshplane's compliance tier name", () => {
    expect(reservedNameMessage('meshplane-compliance')).toBe(
      "the tier name 'meshplane-compliance' is reserved for Meshplane's compliance tier",
    );
  });

  it.each(['security', 'kube-admins', 'defaults'])('lets a tenant create %s', (name) => {
    expect(reservedNameMessage(name)).toBeUndefined();
  });
});

describe('tierIssues', () => {
  it('prefixes the library issues and refuses orders reserved for the compliance tier', () => {
    expect(tierIssues({ name: 'Bad', order: 0 }, 'input').map((i) => `${i.path}: ${i.message}`)).toEqual([
      'input.name: must be a lowercase DNS label (a-z, 0-9, -; at most 63 characters)',
      "input.order: must be greater than 0: orders up to 0 are reserved for Meshplane's 'meshplane-compliance' tier, which is evaluated before every tenant tier",
    ]);
  });

  it('accepts a tenant tier after the compliance tier', () => {
    expect(tierIssues({ name: 'security', order: 100, defaultAction: 'Pass' }, 'input')).toEqual([]);
  });
});
