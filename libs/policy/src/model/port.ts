/** An entry of `ports`/`notPorts`: a number, a `"min:max"` range, a numeric string or a named port. */
export type Port = number | string;

export type ParsedPort =
  | { readonly kind: 'range'; readonly min: number; readonly max: number }
  | { readonly kind: 'named'; readonly name: string };

/** Named ports as Kubernetes names container ports (IANA service names, up to 15 characters). */
const NAMED_PORT = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Parses a port entry; returns a message when it is invalid. */
export function parsePort(port: Port): ParsedPort | { readonly error: string } {
  if (typeof port === 'number')
    return portRange(port, port) ?? { error: `port ${port} is not an integer 0-65535` };
  const range = /^(\d+)(?::(\d+))?$/.exec(port);
  if (range !== null) {
    const min = Number(range[1]);
    const max = range[2] === undefined ? min : Number(range[2]);
    if (min > max) return { error: `port range "${port}" starts after it ends` };
    return portRange(min, max) ?? { error: `port range "${port}" is outside 0-65535` };
  }
  if (port.length <= 15 && NAMED_PORT.test(port) && /[a-z]/.test(port)) return { kind: 'named', name: port };
  return {
    error: `"${port}" is not a port number, a "min:max" range or a named port (lowercase letters, digits and '-', at most 15 characters)`,
  };
}

function portRange(min: number, max: number): ParsedPort | undefined {
  const valid = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;
  return valid(min) && valid(max) ? { kind: 'range', min, max } : undefined;
}
