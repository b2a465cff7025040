import type {
  ClusterBundle,
  CompilerEndpoint,
  CompilerInput,
  EndpointChanges,
} from '../compiler/compiler.types.js';
import { endpointKey, FederationCompiler } from '../compiler/federation-compiler.js';

/** How the bundles of one compile were produced. */
export type CompileMode = 'cold' | 'incremental';

interface CachedTenant {
  compiler: FederationCompiler;
  /** Everything but the endpoints, serialised: any difference means a cold compile. */
  rest: string;
  /** Each endpoint's serialised form, by key. */
  endpoints: Map<string, string>;
}

/**
 * Keeps each tenant's compiler between compiles, so that a change that only touches pods goes
 * through the compiler's incremental path (the label index says which clusters it affects; only
 * those are recompiled) instead of a cold compile of every cluster.
 *
 * Always correct, whichever worker replica compiled last: the cached compiler is brought to the
 * input just read (the pods that differ from what it holds are applied as changes), and anything
 * else that differs — policies, tiers, zones, encryption, clusters, federated-service inventory —
 * makes a cold compile that replaces it. Least recently used tenants are dropped beyond `capacity`.
 */
export class CompilerCache {
  private readonly tenants = new Map<string, CachedTenant>();

  constructor(private readonly capacity: number) {}

  bundles(
    tenantId: string,
    input: CompilerInput,
  ): { bundles: ReadonlyMap<string, ClusterBundle>; mode: CompileMode } {
    const { endpoints, ...others } = input;
    const rest = JSON.stringify(others);
    const cached = this.tenants.get(tenantId);
    const current = new Map(endpoints.map((endpoint) => [endpointKey(endpoint), JSON.stringify(endpoint)]));
    if (cached && cached.rest === rest) {
      const changes = endpointChanges(cached.endpoints, current, endpoints);
      if (changes.upserted.length > 0 || changes.removed.length > 0)
        cached.compiler.applyEndpointChanges(changes);
      cached.endpoints = current;
      this.touch(tenantId, cached);
      return { bundles: cached.compiler.allBundles(), mode: 'incremental' };
    }
    const compiler = new FederationCompiler(input);
    this.touch(tenantId, { compiler, rest, endpoints: current });
    return { bundles: compiler.allBundles(), mode: 'cold' };
  }

  /** Forgets a tenant (e.g. after a failed compile, whose state is unknown). */
  drop(tenantId: string): void {
    this.tenants.delete(tenantId);
  }

  private touch(tenantId: string, entry: CachedTenant): void {
    this.tenants.delete(tenantId);
    this.tenants.set(tenantId, entry);
    while (this.tenants.size > this.capacity) this.tenants.delete(this.tenants.keys().next().value!);
  }
}

function endpointChanges(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  endpoints: readonly CompilerEndpoint[],
): Required<EndpointChanges> & {
  upserted: CompilerEndpoint[];
  removed: EndpointChanges['removed'] & unknown[];
} {
  const upserted: CompilerEndpoint[] = [];
  for (const endpoint of endpoints) {
    const key = endpointKey(endpoint);
    if (before.get(key) !== after.get(key)) upserted.push(endpoint);
  }
  const removed = [];
  for (const key of before.keys()) {
    if (after.has(key)) continue;
    const [clusterId, namespace, name] = key.split('/') as [string, string, string];
    removed.push({ clusterId, namespace, name });
  }
  return { upserted, removed };
}
