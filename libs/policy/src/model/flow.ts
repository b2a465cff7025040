import type { Protocol } from './protocol.js';

/**
 * One end of a flow: a known endpoint (optionally with the address used, else its first one), or a
 * bare address, which is resolved to an endpoint or network set of the observing cluster when one
 * holds it (`cluster` says which cluster a bare source address belongs to, if any).
 */
export type FlowPeer =
  | { readonly endpoint: string; readonly ip?: string }
  | { readonly ip: string; readonly cluster?: string };

export interface Flow {
  readonly source: FlowPeer;
  readonly destination: FlowPeer;
  readonly protocol: Protocol;
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  readonly icmp?: { readonly type: number; readonly code?: number };
  /** Layer-7 details; rules with an `http` match only match flows that carry them. */
  readonly http?: { readonly method?: string; readonly path?: string };
}
