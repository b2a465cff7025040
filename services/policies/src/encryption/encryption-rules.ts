import { IssueCollector, type ValidationIssue } from '@meshplane/policy';
import type { WireguardSettings } from '../compiler/compiler.types.js';

/** Calico's pattern for `wireguardKeepAlive` (a Go duration), non-empty. */
const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** Issues of the given settings, with paths under `input`. */
export function encryptionIssues(settings: WireguardSettings): ValidationIssue[] {
  const issues = new IssueCollector();
  const range = (field: keyof WireguardSettings, min: number, max: number, extra?: number) => {
    const value = settings[field];
    if (typeof value !== 'number') return;
    if (value === extra) return;
    if (!Number.isInteger(value) || value < min || value > max)
      issues.add(
        `input.${field}`,
        `must be ${extra === undefined ? '' : `${extra} or `}between ${min} and ${max}`,
      );
  };
  range('wireguardListeningPort', 1, 65535);
  range('wireguardListeningPortV6', 1, 65535);
  range('wireguardMTU', 68, 65535, 0);
  range('wireguardMTUV6', 1280, 65535, 0);
  range('wireguardRoutingRulePriority', 1, 32765);
  const { wireguardListeningPort: v4, wireguardListeningPortV6: v6 } = settings;
  if (v4 !== undefined && v4 === v6)
    issues.add('input.wireguardListeningPortV6', 'must differ from wireguardListeningPort');
  const keepAlive = settings.wireguardKeepAlive;
  if (keepAlive !== undefined && (keepAlive.length > 32 || !DURATION.test(keepAlive)))
    issues.add('input.wireguardKeepAlive', "must be a duration such as '25s', '1m30s' or '0s'");
  return issues.issues;
}
