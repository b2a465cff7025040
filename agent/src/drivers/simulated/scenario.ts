import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CalicoVersion, LabelsSchema } from '@meshplane/protocol';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { AgentError, describeError } from '../../agent.errors.js';
import { parseIpv4Cidr } from './ipv4-cidr.js';

/**
 * A simulated cluster, described in YAML or JSON. Example:
 *
 * ```yaml
 * cluster: eu-west-1
 * podCidr: 10.42.0.0/16
 * nodes: { count: 3, wireguard: true }
 * namespaces: [{ name: shop, labels: { env: prod } }]
 * workloads: [{ name: frontend, namespace: shop, replicas: 2, labels: { app: frontend } }]
 * services:
 *   - { name: frontend, namespace: shop, selector: { app: frontend }, ports: [{ name: http, port: 80 }] }
 *   - { name: api-global, namespace: shop, federation: "app == 'api'", ports: [{ name: http, port: 80 }] }
 * churn: { restartPodEveryMs: 5000 }
 * ```
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const name = z
  .string()
  .max(63)
  .regex(DNS_LABEL, { error: 'expected a DNS label (lower-case letters, digits, -)' });
const cidr = z
  .string()
  .refine((text) => parseIpv4Cidr(text) !== undefined, { error: 'expected an IPv4 CIDR like 10.42.0.0/16' });

const PortSchema = z.strictObject({
  name: name.optional(),
  port: z.int().min(1).max(65_535),
  targetPort: z.union([z.int().min(1).max(65_535), name]).optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
});

const WorkloadSchema = z.strictObject({
  name,
  namespace: name,
  replicas: z.int().min(0).max(10_000),
  labels: LabelsSchema.default({}),
  serviceAccount: name.optional(),
});

const ServiceSchema = z
  .strictObject({
    name,
    namespace: name,
    /** Pods selected by these labels back the service. */
    selector: LabelsSchema.optional(),
    /** A Calico selector: a federated service with no selector of its own. */
    federation: z.string().min(1).max(1_024).optional(),
    ports: z.array(PortSchema).min(1).max(32),
    labels: LabelsSchema.default({}),
    /** Also create an MCS ServiceExport for it. */
    export: z.boolean().default(false),
  })
  .refine((service) => (service.selector === undefined) !== (service.federation === undefined), {
    error: 'expected exactly one of selector or federation',
  });

/** The Calico release a simulated cluster runs unless its scenario says otherwise. */
export const SIMULATED_CALICO_VERSION = 'v3.30.2';

export const ScenarioSchema = z.strictObject({
  /** The cluster's name, for logs and as the default seed. */
  cluster: name,
  seed: z.int().min(0).max(4_294_967_295).optional(),
  kubernetesVersion: z.string().min(1).max(64).default('v1.31.0'),
  /** The Calico release the cluster runs; it serves that release's `projectcalico.org/v3` kinds. */
  calicoVersion: CalicoVersion.default(SIMULATED_CALICO_VERSION),
  podCidr: cidr.default('10.244.0.0/16'),
  serviceCidr: cidr.default('10.96.0.0/16'),
  nodeCidr: cidr.default('192.168.0.0/24'),
  nodes: z.strictObject({
    count: z.int().min(1).max(5_000),
    namePrefix: name.default('node'),
    labels: LabelsSchema.default({}),
    /** Give each node a (deterministic) `projectcalico.org/WireguardPublicKey`. */
    wireguard: z.boolean().default(false),
  }),
  namespaces: z
    .array(z.strictObject({ name, labels: LabelsSchema.default({}) }))
    .min(1)
    .max(1_000),
  workloads: z.array(WorkloadSchema).max(10_000).default([]),
  services: z.array(ServiceSchema).max(10_000).default([]),
  /** The simulated data plane's flows (see SimulatedFlowSource). */
  flows: z
    .strictObject({
      /** Flow records generated per second; 0 turns the flow source off. */
      perSecond: z.number().min(0).max(100_000).default(5),
      /** Other clusters whose pod CIDRs some flows go to (cross-cluster traffic). */
      peers: z
        .array(z.strictObject({ cluster: name, podCidr: cidr }))
        .max(100)
        .default([]),
    })
    .default({ perSecond: 5, peers: [] }),
  /** The simulated node Envoys' HTTP access logs (see SimulatedHttpSource). */
  http: z
    .strictObject({
      /** HTTP requests generated per second; 0 (the default) turns L7 traffic off. */
      perSecond: z.number().min(0).max(100_000).default(0),
      /** Every this many seconds one server workload answers mostly 5xx for `errorBurstSeconds`. */
      errorBurstEverySeconds: z.int().min(1).max(86_400).default(120),
      errorBurstSeconds: z.int().min(0).max(86_400).default(15),
    })
    .default({ perSecond: 0, errorBurstEverySeconds: 120, errorBurstSeconds: 15 }),
  churn: z
    .strictObject({
      /** Every this many milliseconds one random pod is replaced (new name and IP). */
      restartPodEveryMs: z.int().min(10).max(86_400_000).optional(),
    })
    .default({}),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioService = Scenario['services'][number];
export type ScenarioWorkload = Scenario['workloads'][number];

/** Reads and validates a scenario file; every failure is an `AgentError('scenario_invalid')` naming the file. */
export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AgentError('scenario_invalid', `cannot read scenario ${path}: ${describeError(error)}`);
  }
  return parseScenario(text, path);
}

/** Parses scenario text (JSON when `source` ends in `.json`, else YAML, which includes JSON). */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  let value: unknown;
  try {
    value = extname(source) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    const reason = error instanceof YAMLParseError ? error.code : describeError(error);
    throw new AgentError(
      'scenario_invalid',
      `scenario ${source} is not valid ${extname(source) === '.json' ? 'JSON' : 'YAML'}${where}: ${reason}`,
    );
  }
  const parsed = ScenarioSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path
      .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
      .join('')
      .slice(1);
    throw new AgentError('scenario_invalid', `scenario ${source}: ${path || '(root)'}: ${issue.message}`);
  }
  checkReferences(parsed.data, source);
  return parsed.data;
}

/** Cross-field rules the schema cannot express: declared namespaces, unique names. */
function checkReferences(scenario: Scenario, source: string): void {
  const namespaces = new Set<string>();
  const fail = (message: string) => {
    throw new AgentError('scenario_invalid', `scenario ${source}: ${message}`);
  };
  for (const [index, namespace] of scenario.namespaces.entries()) {
    if (namespaces.has(namespace.name))
      fail(`namespaces[${index}].name: duplicate namespace ${namespace.name}`);
    namespaces.add(namespace.name);
  }
  const seen = new Set<string>();
  for (const [list, items] of [
    ['workloads', scenario.workloads],
    ['services', scenario.services],
  ] as const) {
    for (const [index, item] of items.entries()) {
      if (!namespaces.has(item.namespace)) {
        fail(`${list}[${index}].namespace: namespace ${item.namespace} is not declared in namespaces`);
      }
      const key = `${list}/${item.namespace}/${item.name}`;
      if (seen.has(key)) fail(`${list}[${index}].name: duplicate ${item.namespace}/${item.name}`);
      seen.add(key);
    }
  }
  const pods = scenario.workloads.reduce((total, workload) => total + workload.replicas, 0);
  if (pods > parseIpv4Cidr(scenario.podCidr)!.size / 2)
    fail(`podCidr: ${scenario.podCidr} is too small for ${pods} pods`);
}
