import { z } from 'zod';
import { AgentError } from './agent.errors.js';
import { LOG_LEVELS, type LogLevel } from './log.js';

/**
 * The agent's configuration, built once from the environment (and optional `--flag=value`
 * arguments that override it). A missing or malformed value stops the agent with a message
 * naming the variable.
 */
export interface AgentConfig {
  /** `ws[s]://host/agents`: the agent hub. */
  hubUrl: string;
  /** `http[s]://host`: Meshplane's public edge, for the credential exchange and rotation. */
  apiUrl: string;
  /** The cluster's name, added to log lines. */
  clusterName?: string;
  /** One-time install token; needed only while no credential is stored. */
  bootstrapToken?: string;
  /** Where the per-cluster credential is kept: a file, or a Secret when `MESHPLANE_CREDENTIAL_SECRET` is set. */
  credentialStore: CredentialStoreConfig;
  driver: DriverConfig;
  /**
   * File keeping the last applied config version across restarts (`<credential file>.config-version`
   * by default with the file credential store); kept in memory only when absent.
   */
  configVersionFile?: string;
  /** Reconnect backoff: first ceiling and largest ceiling, in milliseconds. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** A session that lasted this long after `welcome` resets the backoff. */
  stableSessionMs: number;
  /** How long to wait for `welcome` after the socket opens. */
  welcomeTimeoutMs: number;
  /** Inventory changes are coalesced over this window before a delta is sent. */
  deltaWindowMs: number;
  /** Flow records the agent buffers until the hub acknowledges them; the oldest are dropped beyond. */
  flowBufferRecords: number;
  /** Liveness/readiness HTTP server; none when absent. */
  health?: { host: string; port: number };
  /** Envoy access-log service (gRPC) that node-level Envoys stream HTTP access logs to; none when absent. */
  envoyAls?: { host: string; port: number };
  /** HTTP (L7) records the agent buffers until the hub acknowledges them; the oldest are dropped beyond. */
  httpBufferRecords: number;
  logLevel: LogLevel;
}

export type CredentialStoreConfig =
  | { kind: 'file'; path: string }
  | { kind: 'secret'; namespace: string; name: string; kubeconfigPath?: string };

export type DriverConfig =
  | { kind: 'kubernetes'; kubeconfigPath?: string; goldmane?: GoldmaneConfig }
  | { kind: 'simulated'; scenarioPath: string };

/** Calico's flow API (Goldmane): with the kubernetes driver, the cluster's flows stream from it. */
export interface GoldmaneConfig {
  /** `host:port`, e.g. `goldmane.calico-system.svc:7443`. */
  address: string;
  /** PEM files for mutual TLS: the CA that signed Goldmane's certificate, the agent's certificate and key. */
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Name to verify Goldmane's certificate against instead of the address's host. */
  serverName?: string;
}

export const DEFAULT_CREDENTIAL_FILE = '/var/run/meshplane/credential';
export const CREDENTIAL_SECRET_NAMESPACE = 'meshplane-system';

type Env = Record<string, string | undefined>;

const wsUrl = z.url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
const millis = z.coerce.number({ error: 'expected a number of milliseconds' }).int().min(1).max(86_400_000);
const port = z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65_535);
/** A host name, IPv4 address or bracketed IPv6 address, then a port from 1 to 65535. */
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;
const hostPort = z.string().refine(
  (value) => {
    const match = HOST_PORT.exec(value);
    return match !== null && Number(match[1]) >= 1 && Number(match[1]) <= 65_535;
  },
  { error: 'expected host:port' },
);

/** Each variable with its schema; defaults are applied before validation. */
const VARIABLES = {
  MESHPLANE_HUB_URL: wsUrl,
  MESHPLANE_API_URL: httpUrl,
  MESHPLANE_BOOTSTRAP_TOKEN: z.string().min(1).optional(),
  MESHPLANE_CREDENTIAL_FILE: z.string().min(1).default(DEFAULT_CREDENTIAL_FILE),
  /** When set, the credential lives in this Secret (in-cluster, read-only root file system). */
  MESHPLANE_CREDENTIAL_SECRET: z.string().min(1).max(253).optional(),
  MESHPLANE_CREDENTIAL_SECRET_NAMESPACE: z.string().min(1).default(CREDENTIAL_SECRET_NAMESPACE),
  MESHPLANE_CONFIG_VERSION_FILE: z.string().min(1).optional(),
  /** For log lines only; the hub knows the cluster by its credential. */
  MESHPLANE_CLUSTER_NAME: z.string().min(1).max(253).optional(),
  MESHPLANE_DRIVER: z.enum(['kubernetes', 'simulated']).default('kubernetes'),
  MESHPLANE_SCENARIO: z.string().min(1).optional(),
  KUBECONFIG: z.string().min(1).optional(),
  /** Goldmane's gRPC endpoint; when set (kubernetes driver), the agent streams flows from it. */
  MESHPLANE_GOLDMANE_ADDRESS: hostPort.optional(),
  MESHPLANE_GOLDMANE_CA_FILE: z.string().min(1).optional(),
  MESHPLANE_GOLDMANE_CERT_FILE: z.string().min(1).optional(),
  MESHPLANE_GOLDMANE_KEY_FILE: z.string().min(1).optional(),
  MESHPLANE_GOLDMANE_SERVER_NAME: z.string().min(1).max(253).optional(),
  MESHPLANE_BACKOFF_BASE_MS: millis.default(1_000),
  MESHPLANE_BACKOFF_CAP_MS: millis.default(30_000),
  MESHPLANE_STABLE_SESSION_MS: millis.default(30_000),
  MESHPLANE_WELCOME_TIMEOUT_MS: millis.default(10_000),
  MESHPLANE_DELTA_WINDOW_MS: millis.default(100),
  MESHPLANE_FLOW_BUFFER_RECORDS: z.coerce
    .number({ error: 'expected a number of records' })
    .int()
    .min(1)
    .max(10_000_000)
    .default(100_000),
  MESHPLANE_HTTP_BUFFER_RECORDS: z.coerce
    .number({ error: 'expected a number of records' })
    .int()
    .min(1)
    .max(10_000_000)
    .default(50_000),
  /** Port of the Envoy access-log service (gRPC, plaintext); set it to receive HTTP access logs. */
  MESHPLANE_ENVOY_ALS_PORT: port.optional(),
  MESHPLANE_ENVOY_ALS_HOST: z.string().min(1).default('0.0.0.0'),
  MESHPLANE_HEALTH_PORT: port.optional(),
  MESHPLANE_HEALTH_HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
} as const;

type VariableName = keyof typeof VARIABLES;
type Parsed = { [K in VariableName]: z.output<(typeof VARIABLES)[K]> };

/** `--hub-url=…` sets `MESHPLANE_HUB_URL`, `--kubeconfig=…` sets `KUBECONFIG`, and so on. */
export function flagsToEnv(argv: readonly string[]): Env {
  const env: Env = {};
  for (const argument of argv) {
    const match = /^--([a-z][a-z0-9-]*)=(.*)$/s.exec(argument);
    if (!match)
      throw new AgentError('config_invalid', `unrecognised argument ${argument}: expected --name=value`);
    const name = match[1]!.replaceAll('-', '_').toUpperCase();
    const variable = name === 'KUBECONFIG' || name === 'LOG_LEVEL' ? name : `MESHPLANE_${name}`;
    if (!(variable in VARIABLES)) throw new AgentError('config_invalid', `unknown flag --${match[1]}`);
    env[variable] = match[2];
  }
  return env;
}

/** Builds and validates the configuration; throws `AgentError('config_invalid')` naming the variable. */
export function loadConfig(env: Env = process.env, argv: readonly string[] = []): AgentConfig {
  const merged = { ...pickVariables(env), ...flagsToEnv(argv) };
  const parsed = {} as Record<VariableName, unknown>;
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const raw = merged[name] === '' ? undefined : merged[name];
    const result = VARIABLES[name].safeParse(raw);
    if (!result.success) {
      const reason = raw === undefined ? 'is required' : `is invalid: ${result.error.issues[0]?.message}`;
      throw new AgentError('config_invalid', `${name} ${reason}`);
    }
    parsed[name] = result.data;
  }
  return toConfig(parsed as Parsed);
}

function pickVariables(env: Env): Env {
  const picked: Env = {};
  for (const name of Object.keys(VARIABLES)) picked[name] = env[name];
  return picked;
}

function toConfig(vars: Parsed): AgentConfig {
  if (vars.MESHPLANE_BACKOFF_BASE_MS > vars.MESHPLANE_BACKOFF_CAP_MS) {
    throw new AgentError(
      'config_invalid',
      'MESHPLANE_BACKOFF_BASE_MS must not exceed MESHPLANE_BACKOFF_CAP_MS',
    );
  }
  const config: AgentConfig = {
    hubUrl: vars.MESHPLANE_HUB_URL,
    apiUrl: vars.MESHPLANE_API_URL.replace(/\/+$/, ''),
    credentialStore: credentialStoreConfig(vars),
    driver: driverConfig(vars),
    backoffBaseMs: vars.MESHPLANE_BACKOFF_BASE_MS,
    backoffCapMs: vars.MESHPLANE_BACKOFF_CAP_MS,
    stableSessionMs: vars.MESHPLANE_STABLE_SESSION_MS,
    welcomeTimeoutMs: vars.MESHPLANE_WELCOME_TIMEOUT_MS,
    deltaWindowMs: vars.MESHPLANE_DELTA_WINDOW_MS,
    flowBufferRecords: vars.MESHPLANE_FLOW_BUFFER_RECORDS,
    httpBufferRecords: vars.MESHPLANE_HTTP_BUFFER_RECORDS,
    logLevel: vars.LOG_LEVEL,
  };
  if (vars.MESHPLANE_BOOTSTRAP_TOKEN !== undefined) config.bootstrapToken = vars.MESHPLANE_BOOTSTRAP_TOKEN;
  if (vars.MESHPLANE_CLUSTER_NAME !== undefined) config.clusterName = vars.MESHPLANE_CLUSTER_NAME;
  const versionFile = configVersionFile(vars, config.credentialStore);
  if (versionFile !== undefined) config.configVersionFile = versionFile;
  if (vars.MESHPLANE_HEALTH_PORT !== undefined) {
    config.health = { host: vars.MESHPLANE_HEALTH_HOST, port: vars.MESHPLANE_HEALTH_PORT };
  }
  if (vars.MESHPLANE_ENVOY_ALS_PORT !== undefined) {
    config.envoyAls = { host: vars.MESHPLANE_ENVOY_ALS_HOST, port: vars.MESHPLANE_ENVOY_ALS_PORT };
  }
  return config;
}

function credentialStoreConfig(vars: Parsed): CredentialStoreConfig {
  if (vars.MESHPLANE_CREDENTIAL_SECRET === undefined) {
    return { kind: 'file', path: vars.MESHPLANE_CREDENTIAL_FILE };
  }
  const store: CredentialStoreConfig = {
    kind: 'secret',
    namespace: vars.MESHPLANE_CREDENTIAL_SECRET_NAMESPACE,
    name: vars.MESHPLANE_CREDENTIAL_SECRET,
  };
  if (vars.KUBECONFIG !== undefined) store.kubeconfigPath = vars.KUBECONFIG;
  return store;
}

function configVersionFile(vars: Parsed, store: CredentialStoreConfig): string | undefined {
  if (vars.MESHPLANE_CONFIG_VERSION_FILE !== undefined) return vars.MESHPLANE_CONFIG_VERSION_FILE;
  return store.kind === 'file' ? `${store.path}.config-version` : undefined;
}

function driverConfig(vars: Parsed): DriverConfig {
  const goldmane = goldmaneConfig(vars);
  if (vars.MESHPLANE_DRIVER === 'simulated') {
    if (vars.MESHPLANE_SCENARIO === undefined) {
      throw new AgentError(
        'config_invalid',
        'MESHPLANE_SCENARIO is required when MESHPLANE_DRIVER=simulated',
      );
    }
    if (goldmane !== undefined) {
      throw new AgentError(
        'config_invalid',
        'MESHPLANE_GOLDMANE_ADDRESS is only used with MESHPLANE_DRIVER=kubernetes',
      );
    }
    return { kind: 'simulated', scenarioPath: vars.MESHPLANE_SCENARIO };
  }
  const driver: DriverConfig = { kind: 'kubernetes' };
  if (vars.KUBECONFIG !== undefined) driver.kubeconfigPath = vars.KUBECONFIG;
  if (goldmane !== undefined) driver.goldmane = goldmane;
  return driver;
}

const GOLDMANE_FILES = [
  'MESHPLANE_GOLDMANE_CA_FILE',
  'MESHPLANE_GOLDMANE_CERT_FILE',
  'MESHPLANE_GOLDMANE_KEY_FILE',
] as const;

/** Goldmane needs all three TLS files; any Goldmane setting without the address is a mistake. */
function goldmaneConfig(vars: Parsed): GoldmaneConfig | undefined {
  const address = vars.MESHPLANE_GOLDMANE_ADDRESS;
  if (address === undefined) {
    const stray = [...GOLDMANE_FILES, 'MESHPLANE_GOLDMANE_SERVER_NAME' as const].find(
      (name) => vars[name] !== undefined,
    );
    if (stray !== undefined)
      throw new AgentError('config_invalid', `MESHPLANE_GOLDMANE_ADDRESS is required when ${stray} is set`);
    return undefined;
  }
  const missing = GOLDMANE_FILES.find((name) => vars[name] === undefined);
  if (missing !== undefined)
    throw new AgentError('config_invalid', `${missing} is required when MESHPLANE_GOLDMANE_ADDRESS is set`);
  const goldmane: GoldmaneConfig = {
    address,
    caFile: vars.MESHPLANE_GOLDMANE_CA_FILE!,
    certFile: vars.MESHPLANE_GOLDMANE_CERT_FILE!,
    keyFile: vars.MESHPLANE_GOLDMANE_KEY_FILE!,
  };
  if (vars.MESHPLANE_GOLDMANE_SERVER_NAME !== undefined)
    goldmane.serverName = vars.MESHPLANE_GOLDMANE_SERVER_NAME;
  return goldmane;
}
