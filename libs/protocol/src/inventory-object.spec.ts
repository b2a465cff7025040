import { describe, expect, it } from 'vitest';
import { configObjectKey } from './config-object.js';
import { INVENTORY_KINDS, InventoryObjectSchema, inventoryKey, isClusterScoped } from './inventory-object.js';
import { SAMPLE_FULL_CONFIG_PUSH, SAMPLE_INVENTORY_OBJECTS } from './sample-messages.js';

describe('inventory objects', () => {
  it('lists every kind the schema knows', () => {
    const schemaKinds = InventoryObjectSchema.options.map((option) => option.shape.kind.value);
    expect([...INVENTORY_KINDS].sort()).toEqual([...schemaKinds].sort());
  });

  it('has a valid sample of every kind', () => {
    expect(new Set(SAMPLE_INVENTORY_OBJECTS.map((object) => object.kind))).toEqual(new Set(INVENTORY_KINDS));
    for (const object of SAMPLE_INVENTORY_OBJECTS)
      expect(InventoryObjectSchema.parse(object)).toEqual(object);
  });

  it('marks namespaces, nodes and host endpoints cluster-scoped', () => {
    expect(INVENTORY_KINDS.filter(isClusterScoped)).toEqual(['namespace', 'node', 'hostendpoint']);
  });
});

describe('inventoryKey', () => {
  it.each([
    [{ kind: 'pod', namespace: 'shop', name: 'cart-1' }, 'pod/shop/cart-1'],
    [{ kind: 'node', name: 'worker-1' }, 'node//worker-1'],
    [{ kind: 'namespace', name: 'shop' }, 'namespace//shop'],
  ] as const)('names %o as %s', (ref, key) => {
    expect(inventoryKey(ref)).toBe(key);
  });

  it('gives a whole object the same key as its identity', () => {
    for (const object of SAMPLE_INVENTORY_OBJECTS) {
      const namespace = 'namespace' in object ? object.namespace : undefined;
      expect(inventoryKey(object)).toBe(inventoryKey({ kind: object.kind, namespace, name: object.name }));
    }
  });

  it('gives every sample a distinct key', () => {
    const keys = SAMPLE_INVENTORY_OBJECTS.map(inventoryKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('configObjectKey', () => {
  it('names a manifest and a delete reference the same way', () => {
    const [object] = SAMPLE_FULL_CONFIG_PUSH.mode === 'full' ? SAMPLE_FULL_CONFIG_PUSH.objects : [];
    const key = 'projectcalico.org/v3/GlobalNetworkSet//meshplane.cluster-b.cart';
    expect(configObjectKey(object!)).toBe(key);
    expect(
      configObjectKey({
        apiVersion: 'projectcalico.org/v3',
        kind: 'GlobalNetworkSet',
        name: 'meshplane.cluster-b.cart',
      }),
    ).toBe(key);
  });
});
