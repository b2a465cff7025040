import { checkSelector, IssueCollector, type ValidationIssue } from '@meshplane/policy';

export const MAX_ZONES_PER_TENANT = 100;
export const MAX_ALLOWED_ZONES = 50;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Issues of a zone as the caller gives it (paths under `input`). `existing` holds the names of the
 * tenant's other zones: allowed zones must be among them.
 */
export function zoneIssues(
  zone: { name?: string; clusterSelector?: string; allowedZones?: readonly string[] },
  ownName: string,
  existing: ReadonlySet<string>,
): ValidationIssue[] {
  const issues = new IssueCollector();
  if (zone.name !== undefined && (zone.name.length > 63 || !DNS_LABEL.test(zone.name)))
    issues.add('input.name', 'must be a lowercase DNS label (a-z, 0-9, -; at most 63 characters)');
  if (zone.clusterSelector !== undefined) {
    if (zone.clusterSelector.trim() === '')
      issues.add('input.clusterSelector', "must not be empty (use 'all()' to pick every cluster)");
    else checkSelector(issues, 'input.clusterSelector', zone.clusterSelector);
  }
  const allowed = zone.allowedZones ?? [];
  if (allowed.length > MAX_ALLOWED_ZONES)
    issues.add('input.isolation.allowedZones', `at most ${MAX_ALLOWED_ZONES} zones`);
  const seen = new Set<string>();
  allowed.slice(0, MAX_ALLOWED_ZONES).forEach((name, i) => {
    const path = `input.isolation.allowedZones[${i}]`;
    if (name === ownName) issues.add(path, 'a zone cannot name itself');
    else if (seen.has(name)) issues.add(path, `'${name}' is listed twice`);
    else if (!existing.has(name)) issues.add(path, `no compliance zone named '${name}'`);
    seen.add(name);
  });
  return issues.issues;
}
