import { describe, expect, it } from 'vitest';
import { isAgentError } from './agent.errors.js';
import { DEFAULT_CREDENTIAL_FILE, loadConfig } from './config.js';

const BASE = {
  MESHPLANE_HUB_URL: 'wss://hub.example.com/agents',
  MESHPLANE_API_URL: 'https://api.example.com/',
  MESHPLANE_BOOTSTRAP_TOKEN: 'bt-1',
};

function configError(env: Record<string, string>, argv: string[] = []): string {
  try {
    loadConfig(env, argv);
  } catch (error) {
    expect(isAgentError(error, 'config_invalid')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(BASE)).toEqual({
      hubUrl: 'wss://hub.example.com/agents',
      apiUrl: 'https://api.example.com',
      bootstrapToken: 'bt-1',
      credentialStore: { kind: 'file', path: DEFAULT_CREDENTIAL_FILE },
      configVersionFile: `${DEFAULT_CREDENTIAL_FILE}.config-version`,
      driver: { kind: 'kubernetes' },
      backoffBaseMs: 1_000,
      backoffCapMs: 30_000,
      stableSessionMs: 30_000,
      welcomeTimeoutMs: 10_000,
      deltaWindowMs: 100,
      flowBufferRecords: 100_000,
      httpBufferRecords: 50_000,
      logLevel: 'info',
    });
  });

  it('names a missing required variable', () => {
    expect(configError({ MESHPLANE_API_URL: BASE.MESHPLANE_API_URL })).toBe('MESHPLANE_HUB_URL is required');
  });

  it('names a malformed variable and says what was expected', () => {
    expect(configError({ ...BASE, MESHPLANE_HUB_URL: 'https://hub/agents' })).toBe(
      'MESHPLANE_HUB_URL is invalid: expected a ws:// or wss:// URL',
    );
    expect(configError({ ...BASE, MESHPLANE_BACKOFF_CAP_MS: 'soon' })).toMatch(
      /^MESHPLANE_BACKOFF_CAP_MS is invalid/,
    );
    expect(configError({ ...BASE, MESHPLANE_DRIVER: 'docker' })).toMatch(/^MESHPLANE_DRIVER is invalid/);
  });

  it('requires a scenario for the simulated driver', () => {
    expect(configError({ ...BASE, MESHPLANE_DRIVER: 'simulated' })).toBe(
      'MESHPLANE_SCENARIO is required when MESHPLANE_DRIVER=simulated',
    );
  });

  it('keeps the credential in the named Secret and reads health port, cluster name and kubeconfig', () => {
    const config = loadConfig({
      ...BASE,
      MESHPLANE_CREDENTIAL_SECRET: 'meshplane-agent-credential',
      MESHPLANE_CLUSTER_NAME: 'eu-west-1',
      MESHPLANE_HEALTH_PORT: '8080',
      KUBECONFIG: '/home/me/.kube/config',
    });
    expect(config.credentialStore).toEqual({
      kind: 'secret',
      namespace: 'meshplane-system',
      name: 'meshplane-agent-credential',
      kubeconfigPath: '/home/me/.kube/config',
    });
    expect(config.health).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(config.clusterName).toBe('eu-west-1');
    expect(config.configVersionFile).toBeUndefined();
    expect(config.driver).toEqual({ kind: 'kubernetes', kubeconfigPath: '/home/me/.kube/config' });
  });

  it('lets --flags override the environment and refuses unknown ones', () => {
    const config = loadConfig(BASE, ['--driver=simulated', '--scenario=agent/scenarios/eu-west-1.yaml']);
    expect(config.driver).toEqual({ kind: 'simulated', scenarioPath: 'agent/scenarios/eu-west-1.yaml' });
    expect(configError(BASE, ['--hub=ws://x'])).toBe('unknown flag --hub');
    expect(configError(BASE, ['positional'])).toMatch(/unrecognised argument positional/);
  });

  describe('Goldmane flow source', () => {
    const GOLDMANE = {
      MESHPLANE_GOLDMANE_ADDRESS: 'goldmane.calico-system.svc:7443',
      MESHPLANE_GOLDMANE_CA_FILE: '/etc/goldmane/ca.crt',
      MESHPLANE_GOLDMANE_CERT_FILE: '/etc/goldmane/tls.crt',
      MESHPLANE_GOLDMANE_KEY_FILE: '/etc/goldmane/tls.key',
    };

    it('adds Goldmane to the kubernetes driver when its address is set', () => {
      expect(loadConfig({ ...BASE, ...GOLDMANE, KUBECONFIG: '/kube/config' }).driver).toEqual({
        kind: 'kubernetes',
        kubeconfigPath: '/kube/config',
        goldmane: {
          address: 'goldmane.calico-system.svc:7443',
          caFile: '/etc/goldmane/ca.crt',
          certFile: '/etc/goldmane/tls.crt',
          keyFile: '/etc/goldmane/tls.key',
        },
      });
      const named = loadConfig({ ...BASE, ...GOLDMANE, MESHPLANE_GOLDMANE_ADDRESS: '10.96.0.12:7443' }, [
        '--goldmane-server-name=goldmane.calico-system.svc',
      ]);
      expect(named.driver).toMatchObject({
        goldmane: { address: '10.96.0.12:7443', serverName: 'goldmane.calico-system.svc' },
      });
      expect(loadConfig(BASE).driver).toEqual({ kind: 'kubernetes' });
    });

    it('names the TLS file that is missing', () => {
      for (const name of [
        'MESHPLANE_GOLDMANE_CA_FILE',
        'MESHPLANE_GOLDMANE_CERT_FILE',
        'MESHPLANE_GOLDMANE_KEY_FILE',
      ] as const) {
        expect(configError({ ...BASE, ...GOLDMANE, [name]: '' })).toBe(
          `${name} is required when MESHPLANE_GOLDMANE_ADDRESS is set`,
        );
      }
    });

    it('refuses an address that is not host:port, and Goldmane settings without an address', () => {
      for (const address of [
        'goldmane.calico-system.svc',
        'goldmane:0',
        'goldmane:70000',
        'https://goldmane:7443',
      ]) {
        expect(configError({ ...BASE, ...GOLDMANE, MESHPLANE_GOLDMANE_ADDRESS: address })).toBe(
          'MESHPLANE_GOLDMANE_ADDRESS is invalid: expected host:port',
        );
      }
      expect(
        loadConfig({ ...BASE, ...GOLDMANE, MESHPLANE_GOLDMANE_ADDRESS: '[fd00::12]:7443' }).driver,
      ).toMatchObject({ goldmane: { address: '[fd00::12]:7443' } });
      expect(configError({ ...BASE, ...GOLDMANE, MESHPLANE_GOLDMANE_ADDRESS: '' })).toBe(
        'MESHPLANE_GOLDMANE_ADDRESS is required when MESHPLANE_GOLDMANE_CA_FILE is set',
      );
    });

    it('refuses Goldmane with the simulated driver', () => {
      expect(
        configError({ ...BASE, ...GOLDMANE, MESHPLANE_DRIVER: 'simulated', MESHPLANE_SCENARIO: 'eu.yaml' }),
      ).toBe('MESHPLANE_GOLDMANE_ADDRESS is only used with MESHPLANE_DRIVER=kubernetes');
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ ...BASE, MESHPLANE_BOOTSTRAP_TOKEN: '' }).bootstrapToken).toBeUndefined();
  });
});

describe('the Envoy access-log service settings', () => {
  it('runs the service only when MESHPLANE_ENVOY_ALS_PORT is set, on all interfaces by default', () => {
    const base = { MESHPLANE_HUB_URL: 'wss://hub.example/agents', MESHPLANE_API_URL: 'https://api.example' };
    expect(loadConfig(base).envoyAls).toBeUndefined();
    expect(loadConfig({ ...base, MESHPLANE_ENVOY_ALS_PORT: '9001' }).envoyAls).toEqual({
      host: '0.0.0.0',
      port: 9001,
    });
    expect(() => loadConfig({ ...base, MESHPLANE_ENVOY_ALS_PORT: 'x' })).toThrow(/MESHPLANE_ENVOY_ALS_PORT/);
  });
});
