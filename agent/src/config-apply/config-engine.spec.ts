import type { ConfigObject } from '@meshplane/protocol';
import { describe, expect, it, vi } from 'vitest';
import { SimulatedConfigTarget } from '../drivers/simulated/simulated-config-target.js';
import { silentLogger } from '../log.js';
import {
  diff,
  full,
  gate,
  globalPolicy,
  globalSet,
  policy,
  RecordingSender,
  resultsOf,
  stagedPolicy,
  tier,
} from '../spec-support/config-fixtures.js';
import { ConfigEngine, type ConfigEngineOptions } from './config-engine.js';
import type { ConfigTarget } from './config-target.js';
import { servedApiOf } from './served-kinds.js';

function setUp(
  target: ConfigTarget = new SimulatedConfigTarget(),
  options: Partial<ConfigEngineOptions> = {},
) {
  const hub = new RecordingSender();
  const engine = new ConfigEngine({ target, logger: silentLogger, send: hub.send, ...options });
  return { hub, engine, target };
}

/** A simulated target whose applies wait until `release()` (one gate for the next apply call). */
class GatedTarget extends SimulatedConfigTarget {
  private readonly barrier = gate();
  readonly applied: string[] = [];

  override async apply(object: ConfigObject): Promise<string> {
    await this.barrier.promise;
    this.applied.push(object.metadata.name);
    return super.apply(object);
  }

  release(): void {
    this.barrier.open();
  }
}

describe('config engine: full bundles', () => {
  it('applies every object in dependency order and counts the version as applied', async () => {
    const applied: number[] = [];
    const { hub, engine } = setUp(undefined, { onVersionApplied: (version) => applied.push(version) });

    engine.receive(
      full(1, [policy('allow-web'), globalPolicy('egress'), globalSet('corp'), tier('security')], 'cp-1'),
    );
    const result = await hub.result(1);

    expect(result.id).toBe('cp-1');
    expect(result.outcomes.map((outcome) => outcome.kind)).toEqual([
      'Tier',
      'GlobalNetworkSet',
      'NetworkPolicy',
      'GlobalNetworkPolicy',
    ]);
    expect(new Set(result.outcomes.map((outcome) => outcome.result))).toEqual(new Set(['applied']));
    expect(result.outcomes[2]).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'allow-web',
      result: 'applied',
    });
    expect(engine.appliedVersion).toBe(1);
    expect(applied).toEqual([1]);
    expect(engine.stats).toMatchObject({ configPushesApplied: 1, lastAppliedConfigVersion: 1 });
  });

  it('reports unchanged when the next version carries the same objects', async () => {
    const { hub, engine } = setUp();
    engine.receive(full(1, [tier('security'), policy('allow-web')]));
    await hub.result(1);

    engine.receive(full(2, [tier('security'), policy('allow-web')]));

    expect(resultsOf(await hub.result(2))).toEqual({
      'Tier//security': 'unchanged',
      'NetworkPolicy/shop/allow-web': 'unchanged',
    });
    expect(engine.appliedVersion).toBe(2);
  });

  it('prunes labelled objects left out of the next bundle, policies before tiers, and leaves unlabelled ones alone', async () => {
    const target = new SimulatedConfigTarget();
    target.put({ ...policy('allow-web-copy'), metadata: { name: 'allow-web-copy', namespace: 'shop' } });
    const { hub, engine } = setUp(target);
    engine.receive(full(1, [tier('security'), tier('platform'), policy('allow-web'), policy('allow-db')]));
    await hub.result(1);

    engine.receive(full(2, [tier('security'), policy('allow-web')]));
    const result = await hub.result(2);

    expect(
      result.outcomes.filter((outcome) => outcome.result === 'pruned').map((outcome) => outcome.name),
    ).toEqual(['allow-db', 'platform']);
    expect(target.objects().map((object) => object.metadata.name)).toEqual([
      'allow-web',
      'allow-web-copy',
      'security',
    ]);
  });

  it('refuses a kind Meshplane does not manage and still applies the rest', async () => {
    const { hub, engine } = setUp();
    const configMap: ConfigObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'shop' },
    };

    engine.receive(full(1, [tier('security'), configMap]));
    const result = await hub.result(1);

    expect(resultsOf(result)).toEqual({ 'Tier//security': 'applied', 'ConfigMap/shop/x': 'failed' });
    expect(result.outcomes[1]?.message).toMatch(/not a kind Meshplane manages/);
    expect(engine.appliedVersion).toBe(0);
  });
});

describe('config engine: failures', () => {
  it('reports a rejected object as failed with the message, applies the others, and does not count the version', async () => {
    const target = new SimulatedConfigTarget((object) =>
      object.metadata.name === 'bad' ? 'admission webhook denied the request: bad selector' : undefined,
    );
    const { hub, engine } = setUp(target);
    engine.receive(full(1, [tier('security')]));
    await hub.result(1);

    engine.receive(full(2, [tier('security'), policy('bad'), policy('good')]));
    const result = await hub.result(2);

    expect(resultsOf(result)).toEqual({
      'Tier//security': 'unchanged',
      'NetworkPolicy/shop/bad': 'failed',
      'NetworkPolicy/shop/good': 'applied',
    });
    expect(result.outcomes[1]?.message).toBe('admission webhook denied the request: bad selector');
    expect(engine.appliedVersion).toBe(1);
    expect(engine.stats.configPushesIncomplete).toBe(1);

    // The hub may retry the same version, or follow with a diff on the last complete one.
    engine.receive(diff(3, 1, [policy('good')]));
    expect(resultsOf(await hub.result(3))).toEqual({ 'NetworkPolicy/shop/good': 'unchanged' });
    expect(engine.appliedVersion).toBe(3);
  });

  it('keeps a result no session could carry and sends it after the next welcome', async () => {
    const { hub, engine } = setUp();
    hub.connected = false;
    engine.receive(full(1, [tier('security')]));
    await new Promise<void>((resolve) => {
      const poll = () => (engine.idle ? resolve() : setImmediate(poll));
      poll();
    });
    expect(hub.messages).toEqual([]);

    hub.connected = true;
    engine.sessionStarted();

    expect(resultsOf(await hub.result(1))).toEqual({ 'Tier//security': 'applied' });
  });
});

describe('config engine: diffs', () => {
  it('applies upserts and deletes on top of the base, touching nothing else', async () => {
    const target = new SimulatedConfigTarget();
    const { hub, engine } = setUp(target);
    engine.receive(full(1, [tier('security'), policy('allow-web'), policy('allow-db')]));
    await hub.result(1);

    engine.receive(
      diff(2, 1, [policy('allow-web', 'shop', { order: 20 }), policy('allow-cache')], [policy('allow-db')]),
    );

    expect(resultsOf(await hub.result(2))).toEqual({
      'NetworkPolicy/shop/allow-web': 'applied',
      'NetworkPolicy/shop/allow-cache': 'applied',
      'NetworkPolicy/shop/allow-db': 'pruned',
    });
    expect(target.objects().map((object) => object.metadata.name)).toEqual([
      'allow-cache',
      'allow-web',
      'security',
    ]);
    expect(
      target.get({
        apiVersion: 'projectcalico.org/v3',
        kind: 'NetworkPolicy',
        namespace: 'shop',
        name: 'allow-web',
      })?.spec,
    ).toMatchObject({ order: 20 });
    expect(engine.appliedVersion).toBe(2);
  });

  it('answers config_base_mismatch to a diff on another base and applies nothing', async () => {
    const target = new SimulatedConfigTarget();
    const { hub, engine } = setUp(target);
    engine.receive(full(1, [tier('security')]));
    await hub.result(1);

    engine.receive({ ...diff(3, 2, [policy('allow-web')]), id: 'cp-3' });

    expect(await hub.nth('error', 1)).toMatchObject({ code: 'config_base_mismatch', ref: 'cp-3' });
    expect(target.size).toBe(1);
    expect(engine.appliedVersion).toBe(1);
    expect(hub.results()).toHaveLength(1);
  });

  it('deletes only what carries the label: a named delete of a foreign object is left alone', async () => {
    const target = new SimulatedConfigTarget();
    target.put({ ...policy('hand-made'), metadata: { name: 'hand-made', namespace: 'shop' } });
    const { hub, engine } = setUp(target);

    engine.receive(diff(1, 0, [], [policy('hand-made')]));
    const result = await hub.result(1);

    expect(result.outcomes).toEqual([expect.objectContaining({ name: 'hand-made', result: 'unchanged' })]);
    expect(target.size).toBe(1);
  });
});

describe('config engine: ordering', () => {
  it('refuses a version at or below the applied one with stale_config and applies nothing', async () => {
    const target = new SimulatedConfigTarget();
    const { hub, engine } = setUp(target);
    engine.receive(full(5, [tier('security')]));
    await hub.result(5);

    engine.receive(full(5, [tier('other')], 'again'));
    engine.receive(full(4, [tier('older')], 'older'));

    expect(await hub.nth('error', 2)).toMatchObject({ code: 'stale_config', ref: 'older' });
    expect(hub.errors()[0]).toMatchObject({ code: 'stale_config', ref: 'again' });
    expect(hub.errors()[0]?.message).toMatch(/version 5 is not newer than the applied version 5/);
    expect(target.objects().map((object) => object.metadata.name)).toEqual(['security']);
    expect(engine.stats.configPushesRefused).toBe(2);
  });

  it('queues pushes that arrive during an apply and applies them one at a time in order', async () => {
    const target = new GatedTarget();
    const { hub, engine } = setUp(target);

    engine.receive(full(1, [tier('a')]));
    engine.receive(diff(2, 1, [tier('b')]));
    engine.receive(diff(3, 2, [tier('c')]));
    engine.receive(full(2, [tier('late')]));
    target.release();

    await hub.result(3);
    expect(hub.results().map((result) => result.version)).toEqual([1, 2, 3]);
    expect(target.applied).toEqual(['a', 'b', 'c']);
    expect(hub.errors()).toEqual([expect.objectContaining({ code: 'stale_config' })]);
    expect(engine.appliedVersion).toBe(3);
  });

  it('skips queued pushes superseded by a newer full bundle', async () => {
    const target = new GatedTarget();
    const { hub, engine } = setUp(target);

    engine.receive(full(1, [tier('a')]));
    engine.receive(full(2, [tier('b')], 'cp-2'));
    engine.receive(diff(3, 2, [tier('c')]));
    engine.receive(full(4, [tier('d')]));
    target.release();

    await hub.result(4);
    expect(hub.results().map((result) => result.version)).toEqual([1, 4]);
    expect(target.applied).toEqual(['a', 'd']);
    expect(hub.errors().map((error) => [error.code, error.ref])).toEqual([
      ['stale_config', 'cp-2'],
      ['stale_config', 'config.push'],
    ]);
    expect(target.objects().map((object) => object.metadata.name)).toEqual(['d']);
  });
});

describe('config engine: kinds the cluster does not serve', () => {
  it('applies nothing of a bundle that needs a missing kind, answers why, and applies it once the kind is served', async () => {
    const target = new SimulatedConfigTarget(undefined, servedApiOf('v3.29.2'));
    const applied: number[] = [];
    const { hub, engine } = setUp(target, { onVersionApplied: (version) => applied.push(version) });
    engine.receive(full(1, [tier('security')]));
    await hub.result(1);

    engine.receive(full(2, [tier('security'), policy('allow-web'), stagedPolicy('audit-db')]));
    const refused = await hub.result(2);

    expect(resultsOf(refused)).toEqual({ 'StagedNetworkPolicy/shop/audit-db': 'failed' });
    expect(refused.outcomes[0]?.message).toContain(
      'needs Calico 3.30 or later (the cluster runs Calico v3.29.2)',
    );
    expect(target.objects().map((o) => o.metadata.name)).toEqual(['security']);
    expect(engine.appliedVersion).toBe(1);
    expect(applied).toEqual([1]);

    target.serve(servedApiOf('v3.30.0'));
    await vi.waitFor(() => expect(engine.idle).toBe(true));
    engine.receive(full(2, [tier('security'), policy('allow-web'), stagedPolicy('audit-db')]));
    const result = await hub.nth('config.result', 3);

    expect(resultsOf(result)).toEqual({
      'Tier//security': 'unchanged',
      'NetworkPolicy/shop/allow-web': 'applied',
      'StagedNetworkPolicy/shop/audit-db': 'applied',
    });
    expect(engine.appliedVersion).toBe(2);
  });

  it('fails every object untouched when discovery fails', async () => {
    const target = new SimulatedConfigTarget();
    target.servedApi = async () => {
      throw new Error('503: service unavailable');
    };
    const { hub, engine } = setUp(target);

    engine.receive(full(1, [tier('security'), policy('allow-web')]));
    const result = await hub.result(1);

    expect(resultsOf(result)).toEqual({
      'Tier//security': 'failed',
      'NetworkPolicy/shop/allow-web': 'failed',
    });
    expect(result.outcomes[0]?.message).toBe(
      'could not discover which kinds the API server serves; nothing applied: 503: service unavailable',
    );
    expect(target.size).toBe(0);
    expect(engine.appliedVersion).toBe(0);
  });
});

describe('config engine: offboarding', () => {
  it('removes every labelled object, policies before the tiers and sets they name', async () => {
    const deleted: string[] = [];
    class RecordingTarget extends SimulatedConfigTarget {
      override async delete(ref: Parameters<SimulatedConfigTarget['delete']>[0]): Promise<void> {
        deleted.push(ref.kind);
        return super.delete(ref);
      }
    }
    const { hub, engine, target } = setUp(new RecordingTarget());
    engine.receive(
      full(1, [tier('security'), globalSet('corp'), policy('allow-web'), globalPolicy('egress')]),
    );
    await hub.result(1);

    const report = await engine.offboard();

    expect(report).toEqual({ removed: 4, failed: [] });
    expect(await target.listManaged()).toEqual([]);
    expect(deleted.slice(0, 2).sort()).toEqual(['GlobalNetworkPolicy', 'NetworkPolicy']);
    expect(deleted.slice(2)).toEqual(['GlobalNetworkSet', 'Tier']);
  });

  it('waits for the push being applied, drops queued ones and refuses later ones', async () => {
    const target = new GatedTarget();
    const { hub, engine } = setUp(target);
    engine.receive(full(1, [tier('security')]));
    engine.receive(full(2, [tier('security'), policy('allow-web')]));
    const offboarded = engine.offboard();
    engine.receive(full(3, [tier('other')]));
    target.release();

    expect(await offboarded).toEqual({ removed: 1, failed: [] });
    expect(target.applied).toEqual(['security']);
    expect(await target.listManaged()).toEqual([]);
    expect(hub.errors().map((error) => error.message)).toContain(
      'the cluster is leaving Meshplane: its objects are being removed',
    );
  });

  it('reports what it could not delete and throws when nothing can be listed', async () => {
    class StuckTarget extends SimulatedConfigTarget {
      failList = false;
      override async delete(ref: Parameters<SimulatedConfigTarget['delete']>[0]): Promise<void> {
        if (ref.kind === 'Tier') throw new Error('tier is still in use');
        return super.delete(ref);
      }
      override async listManaged() {
        if (this.failList) throw new Error('the API server is unreachable');
        return super.listManaged();
      }
    }
    const target = new StuckTarget();
    const { hub, engine } = setUp(target);
    engine.receive(full(1, [tier('security'), policy('allow-web')]));
    await hub.result(1);

    const report = await engine.offboard();
    expect(report.removed).toBe(1);
    expect(report.failed).toEqual([
      expect.objectContaining({
        kind: 'Tier',
        name: 'security',
        result: 'failed',
        message: 'tier is still in use',
      }),
    ]);
    target.failList = true;
    await expect(engine.offboard()).rejects.toThrow('the API server is unreachable');
  });
});
