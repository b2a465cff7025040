/**
 * Protocol versions and their negotiation.
 *
 * The agent lists every version it speaks in `hello.protocols`; the hub answers in `welcome`
 * with the highest version both speak. A hub upgrade that introduces version 2 keeps 1 in
 * `SUPPORTED_PROTOCOL_VERSIONS` until no agent in the field needs it, and speaks to each
 * session in that session's version, so an old agent that only says `[1]` keeps working
 * unchanged. For that to hold, `hello`, `welcome`, `error` and `goodbye` stay readable by every
 * version (new fields only as optional ones, which older peers ignore). When nothing is in
 * common the hub sends `error` `unsupported_protocol` and closes with 4426; the agent does not
 * retry until it is upgraded.
 */

export const PROTOCOL_VERSION = 1;

/** Every version this build speaks, newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [PROTOCOL_VERSION];

/** The highest version in both lists, or `null` when they share none. */
export function negotiateProtocol(
  agentVersions: readonly number[],
  hubVersions: readonly number[] = SUPPORTED_PROTOCOL_VERSIONS,
): number | null {
  const hub = new Set(hubVersions);
  let best: number | null = null;
  for (const version of agentVersions) {
    if (hub.has(version) && (best === null || version > best)) best = version;
  }
  return best;
}
