import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkConsumers, handler, type QueueSpec } from './queues.js';

const spec = (name: string, consumer: string): QueueSpec => ({ name, consumer, schema: z.object({}) });
const INVENTORY = spec('inventory', 'clusters');
const COMPILE = spec('compile', 'policies');
const EVERY = [INVENTORY, COMPILE];
const noop = async () => {};

describe('a service’s queue handlers, checked against every queue there is', () => {
  it('accepts one handler per queue the service consumes', () => {
    expect(() => checkConsumers('clusters', [handler(INVENTORY, noop)], EVERY)).not.toThrow();
    expect(() => checkConsumers('tenants', [handler(spec('audit', 'tenants'), noop)], EVERY)).not.toThrow();
  });

  it('refuses a queue the service consumes without a handler, or with two', () => {
    expect(() => checkConsumers('clusters', [], EVERY)).toThrow(
      'queue inventory needs exactly one handler in clusters, found 0',
    );
    expect(() =>
      checkConsumers('clusters', [handler(INVENTORY, noop), handler(INVENTORY, noop)], EVERY),
    ).toThrow('found 2');
  });

  it('refuses a handler for a queue another service consumes, or one that is not defined', () => {
    expect(() =>
      checkConsumers('clusters', [handler(INVENTORY, noop), handler(COMPILE, noop)], EVERY),
    ).toThrow('clusters handles compile, which policies consumes');
    expect(() =>
      checkConsumers(
        'clusters',
        [handler(INVENTORY, noop), handler(spec('invented', 'clusters'), noop)],
        EVERY,
      ),
    ).toThrow('clusters handles invented, a queue that is not defined');
  });

  it('counts the audit queue, which the tenants service consumes, among every queue', () => {
    expect(() => checkConsumers('tenants', [], EVERY)).toThrow(
      'queue audit needs exactly one handler in tenants',
    );
  });
});
