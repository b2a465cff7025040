import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locate, pathSegments, readManifests } from './manifests.js';

const TWO_DOCUMENTS = `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: web
spec:
  ingress:
    - action: Allow
      destination:
        ports: [8080, 9000]
`;

describe('manifests: objects of YAML files and the place of a field in them', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshplane-manifests-'));
    await writeFile(join(dir, 'b.yaml'), TWO_DOCUMENTS);
    await writeFile(
      join(dir, 'a.yml'),
      'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: first}\n',
    );
    await writeFile(join(dir, 'notes.txt'), 'not yaml: [');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('splits API field paths into YAML path segments', () => {
    expect(pathSegments('spec.ingress[0].destination.ports[1]')).toEqual([
      'spec',
      'ingress',
      0,
      'destination',
      'ports',
      1,
    ]);
    expect(pathSegments('')).toEqual([]);
  });

  it('reads the .yaml and .yml files of a folder in name order, each document an object', async () => {
    const sources = await readManifests(dir, dir);
    expect(
      sources.map((s) => `${s.file}:${(s.object as { metadata: { name: string } }).metadata.name}`),
    ).toEqual(['a.yml:first', 'b.yaml:security', 'b.yaml:web']);
  });

  it('places a field at its line and column, a missing one at the nearest field there is', async () => {
    const [, , web] = await readManifests(dir, dir);
    expect(locate(web!, 'spec.ingress[0].destination.ports[1]')).toBe('b.yaml:14:23');
    expect(locate(web!, 'spec.ingress[0].action')).toBe('b.yaml:12:15');
    // `protocol` is not in the text: the rule it belongs to is.
    expect(locate(web!, 'spec.ingress[0].protocol')).toBe('b.yaml:12:7');
    expect(locate(web!, '')).toBe('b.yaml:6:1');
  });

  it('reports a YAML error at file:line:column', async () => {
    const bad = join(dir, 'bad');
    await writeFile(`${bad}.yaml`, 'kind: Tier\nkind: Tier\n');
    await expect(readManifests(`${bad}.yaml`, dir)).rejects.toThrow('bad.yaml:2:1: Map keys must be unique');
  });
});
