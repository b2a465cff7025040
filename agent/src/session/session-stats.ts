/** Counters of the hub session, exposed on the agent handle and logged on exit. */
export interface SessionStats {
  /** Sockets opened (attempts that reached `open`). */
  connects: number;
  /** Connection attempts, successful or not. */
  connectAttempts: number;
  welcomes: number;
  disconnects: number;
  framesSent: number;
  framesReceived: number;
  /** Hub frames that `decodeFrame` refused (malformed JSON, unknown type, invalid fields). */
  malformedFrames: number;
  /** Valid hub frames that made no sense at that moment (e.g. a second `welcome`). */
  unexpectedFrames: number;
  /** Frames the agent could not encode (a bug on this side; never sent). */
  encodeFailures: number;
  pingsSent: number;
  pongsReceived: number;
  pingsAnswered: number;
  heartbeatTimeouts: number;
  errorsReceived: number;
  /** Last measured ping round trip, in milliseconds. */
  lastRoundTripMs: number | undefined;
}

export function emptySessionStats(): SessionStats {
  return {
    connects: 0,
    connectAttempts: 0,
    welcomes: 0,
    disconnects: 0,
    framesSent: 0,
    framesReceived: 0,
    malformedFrames: 0,
    unexpectedFrames: 0,
    encodeFailures: 0,
    pingsSent: 0,
    pongsReceived: 0,
    pingsAnswered: 0,
    heartbeatTimeouts: 0,
    errorsReceived: 0,
    lastRoundTripMs: undefined,
  };
}
