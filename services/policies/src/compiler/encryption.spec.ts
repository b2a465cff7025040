import { type CalicoSchemas, loadCalicoSchemas } from '@meshplane/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BundleObject, FelixConfigurationObject } from './calico-objects.js';
import { INPUT } from './compiler.fixtures.js';
import type { CompilerEncryption } from './compiler.types.js';
import { effectiveWireguard } from './encryption.js';
import { compileBundles } from './federation-compiler.js';

const felixOf = (objects: readonly BundleObject[]) =>
  objects.filter((o): o is FelixConfigurationObject => o.kind === 'FelixConfiguration');

const ENCRYPTION: CompilerEncryption = {
  meshWide: { wireguardEnabled: true, wireguardMTU: 1400, wireguardKeepAlive: '25s' },
  clusters: {
    'c-us-east': { wireguardMTU: 1380, wireguardEnabledV6: true },
    'c-eu-central': { wireguardEnabled: false },
  },
};

describe('WireGuard settings → FelixConfiguration', () => {
  let schemas: CalicoSchemas;
  beforeAll(() => {
    schemas = loadCalicoSchemas();
  });

  it('overrides the mesh-wide settings field by field with the cluster’s own', () => {
    expect(effectiveWireguard(ENCRYPTION, 'c-us-east')).toEqual({
      wireguardEnabled: true,
      wireguardEnabledV6: true,
      wireguardMTU: 1380,
      wireguardKeepAlive: '25s',
    });
    expect(effectiveWireguard(ENCRYPTION, 'c-eu-central')).toMatchObject({ wireguardEnabled: false });
    expect(effectiveWireguard(ENCRYPTION, 'c-eu-west')).toEqual(ENCRYPTION.meshWide);
    expect(effectiveWireguard({ clusters: {} }, 'c-eu-west')).toBeUndefined();
    expect(effectiveWireguard(undefined, 'c-eu-west')).toBeUndefined();
  });

  it("writes one valid FelixConfiguration named 'default' per cluster, holding only the fields set", () => {
    const bundles = compileBundles({ ...INPUT, encryption: ENCRYPTION });
    for (const [clusterId, bundle] of bundles) {
      const felix = felixOf(bundle.objects);
      expect(felix).toHaveLength(1);
      expect(felix[0]!.metadata.name).toBe('default');
      expect(felix[0]!.spec).toEqual(effectiveWireguard(ENCRYPTION, clusterId));
      expect(schemas.validate(felix[0])).toEqual([]);
    }
  });

  it('never labels it as managed by Meshplane, so the agent can never prune it', () => {
    const bundle = compileBundles({ ...INPUT, encryption: ENCRYPTION }).get('c-eu-west')!;
    const labels = felixOf(bundle.objects)[0]!.metadata.labels;
    expect(labels).not.toHaveProperty('app.kubernetes.io/managed-by');
    expect(labels).toEqual({ 'meshplane.io/managed-fields': 'wireguard' });
  });

  it('leaves Felix alone where nothing is set, and changes the bundle hash when a setting changes', () => {
    const without = compileBundles(INPUT);
    for (const bundle of without.values()) expect(felixOf(bundle.objects)).toEqual([]);
    const only = compileBundles({
      ...INPUT,
      encryption: { clusters: { 'c-us-east': { wireguardEnabled: true } } },
    });
    expect(felixOf(only.get('c-eu-west')!.objects)).toEqual([]);
    expect(only.get('c-eu-west')!.hash).toBe(without.get('c-eu-west')!.hash);
    expect(only.get('c-us-east')!.hash).not.toBe(without.get('c-us-east')!.hash);
  });
});
