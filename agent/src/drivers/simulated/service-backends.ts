import type { ConfigObject } from '@meshplane/protocol';

const DISCOVERY_API_VERSION = 'discovery.k8s.io/v1';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Slices read per Service, and endpoints per slice (Kubernetes caps a slice at 1,000). */
const MAX_SLICES = 1_000;
const MAX_ENDPOINTS = 1_000;

/** An address kube-proxy may send a Service port's traffic to, with the port it goes to there. */
export interface ServiceBackend {
  ip: string;
  port: number;
}

interface SliceEndpoint {
  addresses?: unknown;
  conditions?: { ready?: unknown; serving?: unknown };
}

interface SlicePort {
  name?: unknown;
  port?: unknown;
  protocol?: unknown;
}

/**
 * The EndpointSlices a cluster holds, by the Service they belong to (`namespace/name`, from the
 * `kubernetes.io/service-name` label), as kube-proxy indexes them: for a simulated cluster, the
 * ones Meshplane pushed for its federated Services (its own Services' slices it generates itself).
 */
export function slicesByService(objects: readonly ConfigObject[]): Map<string, ConfigObject[]> {
  const out = new Map<string, ConfigObject[]>();
  for (const object of objects) {
    if (object.apiVersion !== DISCOVERY_API_VERSION || object.kind !== 'EndpointSlice') continue;
    const service = object.metadata.labels?.[SERVICE_NAME_LABEL];
    if (service === undefined || object.metadata.namespace === undefined) continue;
    const key = `${object.metadata.namespace}/${service}`;
    const slices = out.get(key) ?? [];
    if (slices.length < MAX_SLICES) slices.push(object);
    out.set(key, slices);
  }
  return out;
}

/** An IPv4 slice's endpoints (at most {@link MAX_ENDPOINTS}) and ports; undefined for any other. */
function ipv4Slice(slice: ConfigObject): { endpoints: SliceEndpoint[]; ports: SlicePort[] } | undefined {
  const { addressType, endpoints, ports } = slice as ConfigObject & {
    addressType?: unknown;
    endpoints?: unknown;
    ports?: unknown;
  };
  if (addressType !== 'IPv4' || !Array.isArray(endpoints) || !Array.isArray(ports)) return undefined;
  return { endpoints: (endpoints as SliceEndpoint[]).slice(0, MAX_ENDPOINTS), ports: ports as SlicePort[] };
}

function addressOf(endpoint: SliceEndpoint): string | undefined {
  const ip = Array.isArray(endpoint.addresses) ? endpoint.addresses[0] : undefined;
  return typeof ip === 'string' ? ip : undefined;
}

// Kubernetes reads an unset condition as true.
const isReady = (endpoint: SliceEndpoint) => endpoint.conditions?.ready !== false;
const isServing = (endpoint: SliceEndpoint) => endpoint.conditions?.serving !== false;

/**
 * Where kube-proxy sends a connection to one port of a Service: the endpoints of its slices that
 * have a port of the same name and protocol (at that slice port's number) — the ready ones, or,
 * when none is ready, the serving ones (terminating endpoints take traffic as a last resort,
 * KEP-1669: how Meshplane's failover slices for remote endpoints work). IPv4 slices only.
 */
export function serviceBackends(
  slices: readonly ConfigObject[],
  port: { name?: string; protocol: string },
): ServiceBackend[] {
  const ready: ServiceBackend[] = [];
  const serving: ServiceBackend[] = [];
  for (const slice of slices) {
    const parsed = ipv4Slice(slice);
    const match = parsed?.ports.find(
      (p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === port.protocol,
    );
    if (parsed === undefined || typeof match?.port !== 'number') continue;
    for (const endpoint of parsed.endpoints) {
      const ip = addressOf(endpoint);
      if (ip === undefined) continue;
      if (isReady(endpoint)) ready.push({ ip, port: match.port });
      else if (isServing(endpoint)) serving.push({ ip, port: match.port });
    }
  }
  return ready.length > 0 ? ready : serving;
}

/**
 * Every address the slices name (ready or serving), once, with the first port of its slice: the
 * pods a client can reach straight by IP once it resolved them (a headless Service's clients, or
 * client-side load balancing as gRPC does).
 */
export function sliceAddresses(slices: Iterable<readonly ConfigObject[]>): ServiceBackend[] {
  const found = new Map<string, number>();
  for (const list of slices) {
    for (const slice of list) {
      const parsed = ipv4Slice(slice);
      const port = parsed?.ports[0]?.port;
      if (parsed === undefined || typeof port !== 'number') continue;
      for (const endpoint of parsed.endpoints) {
        const ip = addressOf(endpoint);
        if (ip !== undefined && !found.has(ip) && (isReady(endpoint) || isServing(endpoint)))
          found.set(ip, port);
      }
    }
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([ip, port]) => ({ ip, port }));
}
