import type { CompilerEncryption, WireguardSettings } from './compiler.types.js';

/** The WireGuard fields Meshplane sets, in a stable order (the FelixConfiguration spec keys). */
export const WIREGUARD_FIELDS = [
  'wireguardEnabled',
  'wireguardEnabledV6',
  'wireguardHostEncryptionEnabled',
  'wireguardListeningPort',
  'wireguardListeningPortV6',
  'wireguardMTU',
  'wireguardMTUV6',
  'wireguardKeepAlive',
  'wireguardRoutingRulePriority',
  'wireguardThreadingEnabled',
] as const satisfies readonly (keyof WireguardSettings)[];

export type WireguardField = (typeof WIREGUARD_FIELDS)[number];

/**
 * A cluster's effective settings: the mesh-wide ones, overridden field by field by the cluster's
 * own. Undefined when neither sets any field (then Meshplane leaves the cluster's Felix alone).
 */
export function effectiveWireguard(
  encryption: CompilerEncryption | undefined,
  clusterId: string,
): WireguardSettings | undefined {
  const merged: Record<string, unknown> = {};
  for (const layer of [encryption?.meshWide, encryption?.clusters?.[clusterId]]) {
    if (layer === undefined) continue;
    for (const field of WIREGUARD_FIELDS) {
      const value = layer[field];
      if (value !== undefined && value !== null) merged[field] = value;
    }
  }
  return Object.keys(merged).length === 0 ? undefined : (merged as WireguardSettings);
}
