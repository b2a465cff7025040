/**
 * Helpers shared by this folder's specs (not part of the public API).
 */
import { ApiException } from '@kubernetes/client-node';
import type { KubeStatus } from './kube-object.js';

/** A minimal pod; its inferred type fits both `KubeObject` and client-node's `V1Pod`. */
export function pod(name: string, namespace = 'default', labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
}

/** The HTTP code and `Status` body of the `ApiException` the client throws for `promise`. */
export async function apiFailure(promise: Promise<unknown>): Promise<{ code: number; status: KubeStatus }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body: unknown = error.body;
    const status = (typeof body === 'string' && body ? JSON.parse(body) : body) as KubeStatus;
    return { code: error.code, status };
  }
  throw new Error('expected the request to fail');
}

/** Collects values pushed by callbacks and hands them out in order, waiting when none is queued. */
export class Queue<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  push = (item: T): void => {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  };

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Takes items until one satisfies `predicate`, returning it. */
  async until(predicate: (item: T) => boolean): Promise<T> {
    for (;;) {
      const item = await this.next();
      if (predicate(item)) return item;
    }
  }

  get size(): number {
    return this.items.length;
  }
}
