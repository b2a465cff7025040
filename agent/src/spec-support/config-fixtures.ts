/** Config objects and a recording `send` for the apply engine's specs. */
import type {
  ConfigObject,
  ConfigOutcome,
  ConfigPushMessage,
  MessageOf,
  ToHubMessage,
} from '@meshplane/protocol';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../config-apply/managed-kinds.js';

const CALICO = 'projectcalico.org/v3';
const MANAGED = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
const WAIT_MS = 5_000;

export function tier(name: string, order = 100): ConfigObject {
  return { apiVersion: CALICO, kind: 'Tier', metadata: { name, labels: MANAGED }, spec: { order } };
}

export function policy(name: string, namespace = 'shop', spec: Record<string, unknown> = {}): ConfigObject {
  return {
    apiVersion: CALICO,
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: MANAGED },
    spec: { tier: 'security', order: 10, selector: "app == 'web'", types: ['Ingress'], ...spec },
  };
}

export function globalSet(name: string, nets: string[] = ['10.0.0.0/8']): ConfigObject {
  return {
    apiVersion: CALICO,
    kind: 'GlobalNetworkSet',
    metadata: { name, labels: MANAGED },
    spec: { nets },
  };
}

export function globalPolicy(name: string, order = 5): ConfigObject {
  return {
    apiVersion: CALICO,
    kind: 'GlobalNetworkPolicy',
    metadata: { name, labels: MANAGED },
    spec: { tier: 'security', order, selector: 'all()', types: ['Egress'] },
  };
}

/**
 * An EndpointSlice as the hub writes it for the federated Service `shop/web-global`: ready
 * endpoints, or failover ones (`ready: false`: serving and terminating), on one port.
 */
export function endpointSlice(
  name: string,
  endpoints: Array<{ ip: string; ready?: boolean }>,
  port: { name: string; port: number } = { name: 'http', port: 8080 },
): ConfigObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: 'shop',
      labels: { ...MANAGED, 'kubernetes.io/service-name': 'web-global' },
    },
    addressType: 'IPv4',
    endpoints: endpoints.map(({ ip, ready = true }) => ({
      addresses: [ip],
      conditions: ready ? { ready: true } : { ready: false, serving: true, terminating: true },
    })),
    ports: [{ ...port, protocol: 'TCP' }],
  };
}

export function stagedPolicy(name: string, namespace = 'shop'): ConfigObject {
  return {
    apiVersion: CALICO,
    kind: 'StagedNetworkPolicy',
    metadata: { name, namespace, labels: MANAGED },
    spec: { tier: 'security', order: 20, selector: "app == 'db'", types: ['Ingress'] },
  };
}

export function full(version: number, objects: ConfigObject[], id?: string): ConfigPushMessage {
  return { type: 'config.push', ...(id ? { id } : {}), version, mode: 'full', objects };
}

export function diff(
  version: number,
  baseVersion: number,
  upserts: ConfigObject[],
  deletes: ConfigObject[] = [],
): ConfigPushMessage {
  const refs = deletes.map((object) => ({
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  }));
  return { type: 'config.push', version, mode: 'diff', baseVersion, upserts, deletes: refs };
}

/** `kind/namespace/name → result`, for compact assertions. */
export function resultsOf(result: MessageOf<'config.result'>): Record<string, ConfigOutcome['result']> {
  return Object.fromEntries(
    result.outcomes.map((outcome) => [
      `${outcome.kind}/${outcome.namespace ?? ''}/${outcome.name}`,
      outcome.result,
    ]),
  );
}

/** Collects what the engine sends and waits for frames, like the fake hub's connection. */
export class RecordingSender {
  readonly messages: ToHubMessage[] = [];
  private readonly waiters = new Set<() => void>();
  connected = true;

  send = (message: ToHubMessage): boolean => {
    if (!this.connected) return false;
    this.messages.push(message);
    for (const waiter of [...this.waiters]) waiter();
    return true;
  };

  results(): MessageOf<'config.result'>[] {
    return this.messages.filter((m): m is MessageOf<'config.result'> => m.type === 'config.result');
  }

  errors(): MessageOf<'error'>[] {
    return this.messages.filter((m): m is MessageOf<'error'> => m.type === 'error');
  }

  /** The `config.result` for `version`, waiting for it. */
  result(version: number): Promise<MessageOf<'config.result'>> {
    return this.until(() => this.results().find((m) => m.version === version), `config.result ${version}`);
  }

  /** The `count`-th message of `type` (1-based), waiting for it. */
  nth<T extends ToHubMessage['type']>(type: T, count: number): Promise<MessageOf<T>> {
    return this.until(
      () => this.messages.filter((m): m is MessageOf<T> => m.type === type)[count - 1],
      `${count} ${type} frames`,
    );
  }

  private until<R>(find: () => R | undefined, what: string): Promise<R> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, WAIT_MS);
      const check = () => {
        const value = find();
        if (value === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      this.waiters.add(check);
    });
  }
}

/** A promise with its resolver, to hold an apply until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
