import type { Policy, Rule } from '@meshplane/policy';
import type { CompilerCluster, CompilerEndpoint, CompilerInput, CompilerTier } from './compiler.types.js';

/** Test data: the three demo clusters, a few pods in each, and policies over them. */
export const CLUSTERS: readonly CompilerCluster[] = [
  { id: 'c-eu-west', name: 'eu-west-1', labels: { geo: 'eu', env: 'prod' } },
  { id: 'c-eu-central', name: 'eu-central-1', labels: { geo: 'eu', env: 'staging' } },
  { id: 'c-us-east', name: 'us-east-1', labels: { geo: 'us', env: 'prod' } },
];

export const TIERS: readonly CompilerTier[] = [
  { name: 'default', order: 1_000_000, defaultAction: 'Deny' },
  { name: 'security', order: 100, defaultAction: 'Pass' },
  { name: 'platform', order: null, defaultAction: 'Deny' },
];

export function pod(
  clusterId: string,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ips: string[],
): CompilerEndpoint {
  return { clusterId, namespace, name, labels, ips, serviceAccount: 'default' };
}

export const ENDPOINTS: readonly CompilerEndpoint[] = [
  pod('c-eu-west', 'shop', 'db-0', { app: 'db' }, ['10.1.0.10']),
  pod('c-eu-west', 'shop', 'db-1', { app: 'db' }, ['10.1.0.11', 'fd00:1::11']),
  pod('c-eu-west', 'billing', 'db-0', { app: 'db' }, ['10.1.1.10']),
  pod('c-eu-west', 'shop', 'web-0', { app: 'web' }, ['10.1.0.20']),
  pod('c-eu-central', 'shop', 'db-0', { app: 'db' }, ['10.2.0.10']),
  pod('c-us-east', 'shop', 'web-0', { app: 'web' }, ['10.3.0.20']),
  pod('c-us-east', 'shop', 'db-0', { app: 'db' }, ['10.3.0.10']),
];

const allowFrom = (selector: string): Rule => ({ action: 'Allow', source: { selector } });
const allowTo = (selector: string): Rule => ({ action: 'Allow', destination: { selector } });

/** Global: us-east web pods may reach eu-west-1's databases (the DESIGN example). */
export const CROSS_CLUSTER_EGRESS: Policy = {
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'web-to-eu-db' },
  spec: {
    tier: 'security',
    order: 10,
    selector: "app == 'web'",
    types: ['Egress'],
    egress: [allowTo("meshplane.io/cluster == 'eu-west-1' && app == 'db'")],
    clusterSelector: "geo == 'us'",
  },
};

/** Namespaced: databases in `shop` accept web pods of the same namespace from any cluster. */
export const SHOP_DB_INGRESS: Policy = {
  kind: 'NetworkPolicy',
  metadata: { name: 'db-from-web', namespace: 'shop' },
  spec: {
    tier: 'default',
    selector: "app == 'db'",
    types: ['Ingress'],
    ingress: [allowFrom("app == 'web'")],
  },
};

/** Only for eu clusters, in the platform tier, staged. */
export const EU_ONLY_STAGED: Policy = {
  kind: 'GlobalNetworkPolicy',
  metadata: { name: 'eu-deny-all' },
  spec: {
    tier: 'platform',
    selector: 'all()',
    types: ['Ingress'],
    ingress: [{ action: 'Deny' }],
    clusterSelector: "geo == 'eu'",
    staged: true,
  },
};

/** A namespaced rule asking for every database of `shop`, anywhere. */
export const SHOP_WEB_EGRESS: Policy = {
  kind: 'NetworkPolicy',
  metadata: { name: 'web-to-db', namespace: 'shop' },
  spec: {
    tier: 'security',
    selector: "app == 'web'",
    types: ['Egress'],
    egress: [{ action: 'Allow', protocol: 'TCP', destination: { selector: "app == 'db'", ports: [5432] } }],
  },
};

export const INPUT: CompilerInput = {
  tiers: TIERS,
  policies: [CROSS_CLUSTER_EGRESS, SHOP_DB_INGRESS, EU_ONLY_STAGED, SHOP_WEB_EGRESS],
  clusters: CLUSTERS,
  endpoints: ENDPOINTS,
  // us-east-1 and eu-central-1 have no `billing` namespace: its pods are published there globally.
  namespaces: [
    { clusterId: 'c-eu-west', name: 'shop' },
    { clusterId: 'c-eu-west', name: 'billing' },
    { clusterId: 'c-eu-central', name: 'shop' },
    { clusterId: 'c-us-east', name: 'shop' },
  ],
};
