import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUEUES } from './queues.js';

const services = join(import.meta.dirname, '../../../services');

/** The services whose modules start queue workers, read from their sources: `queueWorkers('name', …)`. */
function consumingServices(): Map<string, string> {
  const found = new Map<string, string>();
  for (const service of readdirSync(services)) {
    const src = join(services, service, 'src');
    let files: string[];
    try {
      files = readdirSync(src).filter((file) => file.endsWith('.module.ts'));
    } catch {
      continue;
    }
    for (const file of files) {
      for (const match of readFileSync(join(src, file), 'utf8').matchAll(/queueWorkers\(\s*'([a-z-]+)'/g)) {
        found.set(match[1]!, `services/${service}/src/${file}`);
      }
    }
  }
  return found;
}

describe('every queue has a consumer', () => {
  it('names each queue once', () => {
    const names = QUEUES.map((queue) => queue.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('is consumed by a service that starts queue workers (each checks its handlers against QUEUES)', () => {
    const consumers = consumingServices();
    expect([...consumers.keys()].sort()).toEqual(['clusters', 'policies', 'telemetry', 'tenants']);
    for (const queue of QUEUES) {
      expect(consumers.has(queue.consumer), `${queue.name} is consumed by ${queue.consumer}`).toBe(true);
    }
    // Each of those modules passes the whole list, so its check covers every queue.
    for (const file of consumers.values()) {
      expect(readFileSync(join(services, '..', file), 'utf8'), file).toMatch(
        /queueWorkers\(\s*'[a-z-]+',\s*QUEUES,/,
      );
    }
  });
});
