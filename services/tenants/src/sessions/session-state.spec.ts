import { describe, expect, it } from 'vitest';
import { type EndCause, endSession, requestedEnd, type SessionEnd, stateAt } from './session-state.js';

const GRACE_MS = 10_000;
const t0 = new Date('2026-12-04T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

/** Applies events (cause at an offset from t0) in order, as the upsert does. */
function run(events: Array<[EndCause, number]>): SessionEnd | undefined {
  let end: SessionEnd | undefined;
  for (const [cause, offset] of events) end = endSession(end, requestedEnd(cause, at(offset), GRACE_MS));
  return end;
}

describe('session state machine', () => {
  it('a session never ended is active', () => {
    expect(stateAt(undefined, t0)).toEqual({ kind: 'active' });
  });

  it('active --logout--> ended at once, by logout', () => {
    const end = run([['logout', 0]]);
    expect(stateAt(end, at(0))).toEqual({ kind: 'ended', cause: 'logout', at: at(0) });
  });

  it('active --refresh--> superseded until the grace ends, then ended by the refresh', () => {
    const end = run([['refresh', 0]]);
    expect(stateAt(end, at(0))).toEqual({ kind: 'superseded', until: at(GRACE_MS) });
    expect(stateAt(end, at(GRACE_MS - 1))).toEqual({ kind: 'superseded', until: at(GRACE_MS) });
    expect(stateAt(end, at(GRACE_MS))).toEqual({ kind: 'ended', cause: 'refresh', at: at(GRACE_MS) });
  });

  it('superseded --logout--> ended at once, by logout (logging out during the grace is not delayed)', () => {
    const end = run([
      ['refresh', 0],
      ['logout', 2_000],
    ]);
    expect(stateAt(end, at(2_000))).toEqual({ kind: 'ended', cause: 'logout', at: at(2_000) });
  });

  it('superseded --refresh--> superseded with the same end (a second refresh does not extend the grace)', () => {
    const end = run([
      ['refresh', 0],
      ['refresh', 5_000],
    ]);
    expect(stateAt(end, at(5_000))).toEqual({ kind: 'superseded', until: at(GRACE_MS) });
  });

  it('ended --logout | refresh--> ended, unchanged (idempotent)', () => {
    for (const later of ['logout', 'refresh'] as const) {
      const end = run([
        ['logout', 0],
        [later, 1_000],
      ]);
      expect(stateAt(end, at(1_000))).toEqual({ kind: 'ended', cause: 'logout', at: at(0) });
    }
    const refreshed = run([
      ['refresh', 0],
      ['logout', GRACE_MS + 1_000],
    ]);
    expect(stateAt(refreshed, at(GRACE_MS + 1_000))).toEqual({
      kind: 'ended',
      cause: 'refresh',
      at: at(GRACE_MS),
    });
  });

  it('with no grace, a refresh ends the old session at once', () => {
    const end = endSession(undefined, requestedEnd('refresh', t0, 0));
    expect(stateAt(end, t0)).toEqual({ kind: 'ended', cause: 'refresh', at: t0 });
  });
});
