import type { HttpRequestDraft } from './envoy/envoy-als-convert.js';

/** Where HTTP (L7) records come from besides Envoy's access-log service: the simulated data plane. */
export interface HttpRequestSource {
  readonly name: string;
  /** Starts emitting records into `sink`; the agent's HTTP buffer numbers and keeps them. */
  start(sink: (request: HttpRequestDraft) => void): void;
  stop(): void;
}
