import {
  compileSelector,
  interpretSelector,
  LabelIndex,
  type Labels,
  parseSelector,
  type SelectorNode,
} from '@meshplane/policy';
import { describe, expect, it } from 'vitest';
import { rng } from '../support.js';

const pick = <T>(random: () => number, values: readonly T[]): T =>
  values[Math.floor(random() * values.length)]!;

const APPS = Array.from({ length: 200 }, (_, i) => `app-${i}`);
const TEAMS = Array.from({ length: 20 }, (_, i) => `team-${i}`);
const NAMESPACES = Array.from({ length: 50 }, (_, i) => `ns-${i}`);
const CLUSTERS = Array.from({ length: 100 }, (_, i) => `${i < 50 ? 'eu' : 'us'}-${i}`);
const ENVS = ['prod', 'staging', 'dev'];
const TIERS = ['frontend', 'backend', 'data', 'infra'];

/** Pod labels shaped like a real cluster's: app, k8s recommended labels, hashes, Calico and Meshplane labels. */
function podLabels(random: () => number, serial: number): Labels {
  const app = pick(random, APPS);
  const labels: Record<string, string> = {
    app,
    'app.kubernetes.io/name': app,
    'pod-template-hash': (serial * 2654435761).toString(36).slice(-10),
    env: pick(random, ENVS),
    tier: pick(random, TIERS),
    team: pick(random, TEAMS),
    version: `v${1 + Math.floor(random() * 5)}${random() < 0.1 ? '-canary' : ''}`,
    'projectcalico.org/namespace': pick(random, NAMESPACES),
    'meshplane.io/cluster': pick(random, CLUSTERS),
  };
  if (random() < 0.3) labels['k8s-app'] = app;
  if (random() < 0.05) labels.legacy = 'true';
  return labels;
}

/** Selectors as policies write them; all but one can be narrowed by the label index. */
function policySelectors(random: () => number, count: number): string[] {
  const templates: Array<() => string> = [
    () => `app == '${pick(random, APPS)}'`,
    () => `app == '${pick(random, APPS)}' && env == 'prod'`,
    () => `tier in {'frontend', 'backend'} && app == '${pick(random, APPS)}'`,
    () => `app in {'${pick(random, APPS)}', '${pick(random, APPS)}'} && env != 'dev'`,
    () =>
      `team == '${pick(random, TEAMS)}' && env in {'prod', 'staging'} && meshplane.io/cluster starts with 'eu-'`,
    () => `projectcalico.org/namespace == '${pick(random, NAMESPACES)}' && app == '${pick(random, APPS)}'`,
    () =>
      `meshplane.io/cluster in {'${pick(random, CLUSTERS)}', '${pick(random, CLUSTERS)}', '${pick(random, CLUSTERS)}', '${pick(random, CLUSTERS)}', '${pick(random, CLUSTERS)}'} && has(k8s-app)`,
    () => `app == '${pick(random, APPS)}' && version ends with '-canary'`,
    () => `(app == '${pick(random, APPS)}' || app == '${pick(random, APPS)}') && !has(legacy)`,
  ];
  return Array.from({ length: count }, (_, i) => (i === 0 ? "env != 'dev'" : pick(random, templates)()));
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

describe('selector engine', () => {
  it('matches at least 5 million selector-label pairs per second', () => {
    const random = rng(1);
    const selectors = policySelectors(random, 64).map((text) => parseSelector(text));
    const labelMaps = Array.from({ length: 2_000 }, (_, i) => podLabels(random, i));
    const compiled = selectors.map(compileSelector);

    const measure = (match: (selector: number, labels: Labels) => boolean, minMs: number) => {
      let pairs = 0;
      let hits = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < minMs) {
        for (let s = 0; s < selectors.length; s++) {
          for (const labels of labelMaps) if (match(s, labels)) hits++;
        }
        pairs += selectors.length * labelMaps.length;
        elapsed = performance.now() - start;
      }
      return { perSecond: (pairs / elapsed) * 1000, hits };
    };

    const compiledMatch = (s: number, labels: Labels) => compiled[s]!(labels);
    const interpreted = (s: number, labels: Labels) =>
      interpretSelector(selectors[s] as SelectorNode, labels);
    measure(compiledMatch, 300); // warm-up
    measure(interpreted, 300);
    const figure = measure(compiledMatch, 2_000);
    const baseline = measure(interpreted, 2_000);

    console.log(
      `BENCH selector matches per second (compiled closures, 64 realistic selectors x 2,000 pod label maps) | figure ${fmt(figure.perSecond)} matches/s | baseline ${fmt(baseline.perSecond)} matches/s (tree-walking interpreter) | ratio ${fmt(figure.perSecond / baseline.perSecond, 2)}x | target >= 5,000,000 matches/s`,
    );
    expect(figure.hits).toBeGreaterThan(0);
  });
});

describe('label index', () => {
  const SELECTORS = 2_000;
  const UPDATES = 10_000;

  function measureAt(itemCount: number): { perUpdateUs: number; naiveUs: number; changes: number } {
    const random = rng(itemCount);
    const index = new LabelIndex();
    const selectorTexts = policySelectors(random, SELECTORS);
    for (const [i, text] of selectorTexts.entries()) index.upsertSelector(`s${i}`, text);
    const current = new Map<string, Labels>();
    for (let i = 0; i < itemCount; i++) {
      const labels = podLabels(random, i);
      current.set(`pod-${i}`, labels);
      index.upsertItem(`pod-${i}`, labels);
    }

    // Relabel random pods as rollouts do: mostly a new version and pod-template-hash, sometimes
    // a pod replaced by an unrelated one (every label changes).
    const updates = Array.from({ length: UPDATES }, (_, i) => {
      const serial = Math.floor(random() * itemCount);
      const id = `pod-${serial}`;
      const fresh = podLabels(random, itemCount + i);
      const before = current.get(id)!;
      const labels =
        random() < 0.2
          ? fresh
          : { ...before, version: fresh.version!, 'pod-template-hash': fresh['pod-template-hash']! };
      current.set(id, labels);
      return { id, labels };
    });
    for (const update of updates.slice(0, 2_000)) index.upsertItem(update.id, update.labels); // warm-up
    let changes = 0;
    const start = performance.now();
    for (const update of updates) changes += index.upsertItem(update.id, update.labels).length;
    const perUpdateUs = ((performance.now() - start) * 1000) / UPDATES;

    // Baseline: the same updates without an index, evaluating every selector against the item.
    const all = selectorTexts.map((text) => compileSelector(parseSelector(text)));
    let naiveHits = 0;
    const naiveStart = performance.now();
    for (const update of updates.slice(0, 2_000))
      for (const matches of all) if (matches(update.labels)) naiveHits++;
    const naiveUs = ((performance.now() - naiveStart) * 1000) / 2_000;
    expect(naiveHits).toBeGreaterThan(0);
    return { perUpdateUs, naiveUs, changes };
  }

  it('keeps the cost of an update flat from 10k to 500k items', () => {
    const results = new Map<number, number>();
    for (const itemCount of [10_000, 100_000, 500_000]) {
      const { perUpdateUs, naiveUs, changes } = measureAt(itemCount);
      results.set(itemCount, perUpdateUs);
      console.log(
        `BENCH label-index update at ${fmt(itemCount)} items (${fmt(SELECTORS)} selectors, ${fmt(changes)} membership changes) | figure ${fmt(perUpdateUs, 2)} µs/update | baseline ${fmt(naiveUs, 2)} µs/update (evaluate every selector) | ratio ${fmt(naiveUs / perUpdateUs, 2)}x faster | target flat in the item count`,
      );
      expect(changes).toBeGreaterThan(0);
    }
    const flatness = results.get(500_000)! / results.get(10_000)!;
    console.log(
      `BENCH label-index update cost 500k vs 10k items | figure ${fmt(results.get(500_000)!, 2)} µs/update | baseline ${fmt(results.get(10_000)!, 2)} µs/update | ratio ${fmt(flatness, 2)}x | target flat (ratio near 1, proportional to what changes)`,
    );
  });
});
