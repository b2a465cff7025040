import type { ConfigObject } from '@meshplane/protocol';
import { describe, expect, it } from 'vitest';
import { SimulatedConfigTarget } from '../drivers/simulated/simulated-config-target.js';
import { globalSet, tier } from '../spec-support/config-fixtures.js';
import {
  inPruneOrder,
  isSharedObject,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  refOf,
  withManagedLabel,
} from './managed-kinds.js';
import { syncConfig } from './sync-config.js';

const CALICO = 'projectcalico.org/v3';

const felix = (name: string, labels: Record<string, string> = {}): ConfigObject => ({
  apiVersion: CALICO,
  kind: 'FelixConfiguration',
  metadata: { name, labels },
  spec: { wireguardEnabled: true },
});

describe("the cluster's default FelixConfiguration (shared, never Meshplane's to delete)", () => {
  it('is recognised as shared by apiVersion, kind and name only', () => {
    expect(isSharedObject(refOf(felix('default')))).toBe(true);
    expect(isSharedObject(refOf(felix('node.worker-1')))).toBe(false);
    expect(isSharedObject(refOf(tier('default')))).toBe(false);
  });

  it('is applied without the managed-by label, which every other object gets', () => {
    const applied = withManagedLabel(felix('default', { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, keep: 'me' }));
    expect(applied.metadata.labels).toEqual({ keep: 'me' });
    expect(withManagedLabel(tier('security')).metadata.labels?.[MANAGED_BY_LABEL]).toBe(MANAGED_BY_VALUE);
  });

  it('is left out of every prune list', () => {
    const refs = [refOf(felix('default')), refOf(globalSet('corp')), refOf(tier('security'))];
    expect(inPruneOrder(refs).map((ref) => `${ref.kind}/${ref.name}`)).toEqual([
      'GlobalNetworkSet/corp',
      'Tier/security',
    ]);
  });

  it('survives a full bundle that no longer holds it, even when something labelled it as Meshplane’s', async () => {
    const target = new SimulatedConfigTarget();
    await syncConfig(target, { mode: 'full', objects: [felix('default'), tier('security')] });
    expect(target.get(refOf(felix('default')))?.metadata.labels).toEqual({});
    target.put(felix('default', { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE }));
    const outcomes = await syncConfig(target, { mode: 'full', objects: [] });
    expect(outcomes.map((o) => `${o.kind}/${o.name}:${o.result}`)).toEqual(['Tier/security:pruned']);
    expect(target.get(refOf(felix('default')))).toBeDefined();
  });

  it('is not deleted by a diff that names it either', async () => {
    const target = new SimulatedConfigTarget();
    await syncConfig(target, { mode: 'full', objects: [felix('default')] });
    await syncConfig(target, { mode: 'diff', upserts: [], deletes: [refOf(felix('default'))] });
    expect(target.get(refOf(felix('default')))).toBeDefined();
  });
});
