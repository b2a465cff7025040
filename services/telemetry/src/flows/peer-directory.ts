import { EndpointsByIpResponseSchema, MAX_ENDPOINT_IP_LOOKUP } from '@meshplane/events';
import {
  CONFIG,
  IDENTITY_CODEC,
  InjectLogger,
  type InternalIdentityCodec,
  type Logger,
  postInternal,
} from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { TelemetryConfig } from '../config.js';

/** A pod of one of the tenant's clusters holding an address a flow named. */
export interface RemotePeer {
  clusterName: string;
  namespace: string;
  /** The pod's name. */
  name: string;
  labels: Record<string, string>;
  serviceAccount?: string;
}

/** The pods holding each address (several when clusters reuse pod CIDRs; none when unknown). */
export type PeersByIp = ReadonlyMap<string, readonly RemotePeer[]>;

export interface PeerResolver {
  resolve(tenantId: string, ips: readonly string[]): Promise<PeersByIp>;
}

/** Entries kept across tenants; the oldest go first beyond it. */
const MAX_CACHED_ADDRESSES = 100_000;

/**
 * Resolves flow peers that reached a cluster as bare addresses to the pods holding them in the
 * tenant's other clusters, through the clusters service's `endpoints-by-ip`. Answers — "nobody"
 * included — are cached per tenant and address for `PEER_CACHE_MS`, so a steady stream of flows
 * asks about each address about once per period. When the clusters service is away, the flows are
 * stored without this enrichment (nothing is cached, the next batch asks again): storing them
 * matters more than naming the peer.
 */
@Injectable()
export class PeerDirectory implements PeerResolver {
  private readonly cache = new Map<string, { peers: readonly RemotePeer[]; until: number }>();
  private lastFailureLog = 0;

  constructor(
    @Inject(CONFIG) private readonly config: TelemetryConfig,
    @Inject(IDENTITY_CODEC) private readonly codec: InternalIdentityCodec,
    @InjectLogger() private readonly logger: Logger,
  ) {}

  async resolve(tenantId: string, ips: readonly string[], now = Date.now()): Promise<PeersByIp> {
    const found = new Map<string, readonly RemotePeer[]>();
    const missing: string[] = [];
    for (const ip of new Set(ips)) {
      const cached = this.cache.get(`${tenantId}/${ip}`);
      if (cached !== undefined && cached.until > now) found.set(ip, cached.peers);
      else missing.push(ip);
    }
    for (let start = 0; start < missing.length; start += MAX_ENDPOINT_IP_LOOKUP) {
      const chunk = missing.slice(start, start + MAX_ENDPOINT_IP_LOOKUP);
      const answer = await this.lookUp(tenantId, chunk);
      if (answer === undefined) break;
      const until = now + this.config.PEER_CACHE_MS;
      for (const ip of chunk) {
        const peers = answer.get(ip) ?? [];
        found.set(ip, peers);
        this.remember(`${tenantId}/${ip}`, { peers, until });
      }
    }
    return found;
  }

  private async lookUp(tenantId: string, ips: string[]): Promise<Map<string, RemotePeer[]> | undefined> {
    try {
      const response = await postInternal(this.codec, {
        baseUrl: this.config.CLUSTERS_INTERNAL_URL,
        path: '/internal/v1/endpoints-by-ip',
        body: { tenantId, ips },
        schema: EndpointsByIpResponseSchema,
        timeoutMs: 5_000,
      });
      const byIp = new Map<string, RemotePeer[]>();
      for (const { ip, clusterName, namespace, name, labels, serviceAccount } of response!.endpoints) {
        const peer: RemotePeer = { clusterName, namespace, name, labels };
        if (serviceAccount !== undefined) peer.serviceAccount = serviceAccount;
        byIp.set(ip, [...(byIp.get(ip) ?? []), peer]);
      }
      return byIp;
    } catch (error) {
      if (Date.now() - this.lastFailureLog > 60_000) {
        this.lastFailureLog = Date.now();
        this.logger.warn({ err: error }, 'cannot resolve flow peers by address; storing them unresolved');
      }
      return undefined;
    }
  }

  private remember(key: string, entry: { peers: readonly RemotePeer[]; until: number }) {
    this.cache.delete(key);
    this.cache.set(key, entry);
    if (this.cache.size > MAX_CACHED_ADDRESSES) this.cache.delete(this.cache.keys().next().value!);
  }
}
