import DataLoader from 'dataloader';

/** Most keys one batch reads (a page of clusters is at most this many). */
const MAX_BATCH = 1_000;

/**
 * Batches one kind of lookup per GraphQL request: every `load` made while one request resolves
 * (say `Cluster.config` for each cluster of a page) becomes one call of `batch`, so a page of
 * 500 clusters costs one query, not 500. The request is its GraphQL context object (Apollo makes
 * one per request), so answers are never shared between requests, callers or tenants.
 */
export class PerRequest<C extends object, K, V> {
  private readonly loaders = new WeakMap<C, DataLoader<K, V>>();

  constructor(private readonly batch: (context: C, keys: readonly K[]) => Promise<readonly V[]>) {}

  load(context: C, key: K): Promise<V> {
    let loader = this.loaders.get(context);
    if (loader === undefined) {
      loader = new DataLoader<K, V>((keys) => this.batch(context, keys), { maxBatchSize: MAX_BATCH });
      this.loaders.set(context, loader);
    }
    return loader.load(key);
  }
}
