/** Factories for the policies end-to-end tests (and the schema-driven isolation test). */
import { gql } from '@meshplane/testing';

export const TIER_FIELDS = 'id name order defaultAction builtIn';
export const POLICY_FIELDS = `id kind name namespace tier staged version
  spec { tier order selector types clusterSelector staged
    ingress { action protocol source { selector namespaceSelector nets } destination { ports notPorts } }
    egress { action protocol destination { selector ports } } }`;
export const CHANGE_FIELDS = `policyId version changeId change changed policy { ${POLICY_FIELDS} }`;

export const CREATE_TIER = `mutation($input: CreateTierInput!) { createTier(input: $input) { ${TIER_FIELDS} } }`;
export const CREATE_POLICY = `mutation($input: CreatePolicyInput!) { createPolicy(input: $input) { ${CHANGE_FIELDS} } }`;

let counter = 0;
function uniqueName(stem: string): string {
  counter += 1;
  return `${stem}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

/** A namespaced policy that allows the frontend in on TCP 8080, from any cluster labelled env=prod. */
export function webPolicyInput(tier: string, name = uniqueName('allow-frontend')) {
  return {
    kind: 'NetworkPolicy',
    name,
    namespace: 'shop',
    spec: {
      tier,
      order: 100,
      selector: "app == 'web'",
      clusterSelector: "env == 'prod'",
      ingress: [
        {
          action: 'Allow',
          protocol: 'TCP',
          source: { selector: "app == 'frontend'" },
          destination: { ports: ['8080', '9000:9100'] },
        },
      ],
    },
  };
}

async function must<T>(baseUrl: string, query: string, variables: Record<string, unknown>, token: string) {
  const result = await gql<T>(baseUrl, query, variables, token);
  if (result.errors?.length || !result.data)
    throw new Error(`${query.slice(0, 50)}… failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** Creates a compliance zone of the clusters labelled geo=eu (as an editor or above); returns its id. */
export async function addZone(baseUrl: string, token: string, name = uniqueName('zone').slice(0, 60)) {
  const data = await must<{ createComplianceZone: { zoneId: string } }>(
    baseUrl,
    'mutation($input: CreateComplianceZoneInput!) { createComplianceZone(input: $input) { zoneId } }',
    { input: { name, clusterSelector: "geo == 'eu'" } },
    token,
  );
  return data.createComplianceZone.zoneId;
}

export const PLAN_CHANGE_SET = 'mutation($input: ChangeSetInput!) { planChangeSet(input: $input) { id } }';

/** A change set of one new tier (a fresh name each time), as `planChangeSet` takes it. */
export function newTierChangeSet() {
  const tier = { name: uniqueName('plan-tier').slice(0, 60) };
  return {
    objects: [{ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: tier, spec: { order: 500 } }],
  };
}

/** Plans a change set of one new tier (as an editor or above); returns the plan's id. */
export async function addChangeSetPlan(baseUrl: string, token: string): Promise<string> {
  const data = await must<{ planChangeSet: { id: string } }>(
    baseUrl,
    PLAN_CHANGE_SET,
    { input: newTierChangeSet() },
    token,
  );
  return data.planChangeSet.id;
}

/** Creates an empty tier (as an editor or above); returns its id and name. */
export async function addTier(baseUrl: string, token: string): Promise<{ id: string; name: string }> {
  const name = uniqueName('tier').slice(0, 60);
  const data = await must<{ createTier: { id: string } }>(baseUrl, CREATE_TIER, { input: { name } }, token);
  return { id: data.createTier.id, name };
}

/** Creates a tier and a policy in it (as an editor or above); returns their ids. */
export async function addTierAndPolicy(
  baseUrl: string,
  token: string,
): Promise<{ tierId: string; policyId: string }> {
  const tierName = uniqueName('tier').slice(0, 60);
  const tier = await must<{ createTier: { id: string } }>(
    baseUrl,
    CREATE_TIER,
    { input: { name: tierName, order: 100 } },
    token,
  );
  const policy = await must<{ createPolicy: { policyId: string } }>(
    baseUrl,
    CREATE_POLICY,
    { input: webPolicyInput(tierName) },
    token,
  );
  return { tierId: tier.createTier.id, policyId: policy.createPolicy.policyId };
}

/**
 * A tier `security` (order 100) with a policy `mesh-peers` that publishes each named cluster's
 * pods to the others as network sets, so flows across clusters are enriched with the peer's
 * cluster and workload; it decides nothing (every rule is Pass).
 */
export async function addMeshPeers(baseUrl: string, token: string, clusters: readonly string[]) {
  await must(baseUrl, CREATE_TIER, { input: { name: 'security', order: 100 } }, token);
  await must(
    baseUrl,
    CREATE_POLICY,
    {
      input: {
        kind: 'GlobalNetworkPolicy',
        name: 'mesh-peers',
        spec: {
          tier: 'security',
          order: 500,
          selector: 'all()',
          types: ['Egress'],
          egress: [
            ...clusters.map((cluster) => ({
              action: 'Pass',
              destination: { selector: `meshplane.io/cluster == '${cluster}' && has(app)` },
            })),
            { action: 'Pass' },
          ],
        },
      },
    },
    token,
  );
}
