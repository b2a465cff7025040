import { describe, expect, it } from 'vitest';
import { apiPolicyName, calicoPolicyName, policyNameIssue, policyReference } from './policy-name.js';

describe('policy names', () => {
  it("gives a tiered policy's Calico object the `<tier>.` prefix, and takes it off again", () => {
    expect(calicoPolicyName('security', 'deny-db')).toBe('security.deny-db');
    expect(calicoPolicyName('default', 'allow-web')).toBe('allow-web');
    expect(calicoPolicyName('meshplane-compliance', 'isolation')).toBe('meshplane-compliance.isolation');
    for (const [tier, name] of [
      ['security', 'deny-db'],
      ['default', 'allow-web'],
      ['meshplane-compliance', 'isolation'],
      ['security', 'v1.2'],
    ] as const)
      expect(apiPolicyName(tier, calicoPolicyName(tier, name))).toBe(name);
    // Goldmane names default-tier policies `default.<name>`; a tier default hit is named after its tier.
    expect(apiPolicyName('default', 'default.allow-web')).toBe('allow-web');
    expect(apiPolicyName('security', 'security')).toBe('security');
    expect(apiPolicyName('security', 'platform.x')).toBe('platform.x');
  });

  it('refers to a namespaced policy as namespace/name, to a global one by its name', () => {
    expect(policyReference('deny-db', 'shop')).toBe('shop/deny-db');
    expect(policyReference('isolation')).toBe('isolation');
    expect(policyReference('isolation', null)).toBe('isolation');
  });

  it("refuses a name that starts with its tier's prefix, which would be another policy's Calico name", () => {
    expect(policyNameIssue('security', 'security.deny-db')).toContain('name it "deny-db"');
    expect(policyNameIssue('default', 'default.allow')).toBeDefined();
    expect(policyNameIssue('security', 'deny-db')).toBeUndefined();
    expect(policyNameIssue('default', 'security.deny-db')).toBeUndefined();
  });
});
