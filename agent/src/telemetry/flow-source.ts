import type { FlowDraft } from './flow-buffer.js';

/** Where flow records come from: Calico's flow API (Goldmane) or the simulated data plane. */
export interface FlowSource {
  readonly name: string;
  /** Starts emitting records into `sink`; the agent's flow buffer numbers and keeps them. */
  start(sink: (flow: FlowDraft) => void): void;
  stop(): void;
}
