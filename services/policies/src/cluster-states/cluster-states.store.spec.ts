import type { InventoryChangedJob } from '@meshplane/events';
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_KEYS, mergePending } from './cluster-states.store.js';

const empty = { inventoryEpoch: 0, fullRecompile: false, pendingKeys: [] as string[] };
const job = (over: Partial<InventoryChangedJob>): InventoryChangedJob => ({
  tenantId: '00000000-0000-4000-8000-000000000001',
  clusterId: '00000000-0000-4000-8000-000000000002',
  epoch: 1,
  upserted: [],
  deleted: [],
  replaced: false,
  ...over,
});

describe('pending recompilation of a cluster', () => {
  it('merges changed keys as a set, so a replayed job changes nothing', () => {
    const change = job({ upserted: ['Pod/shop/web-1'], deleted: ['Pod/shop/web-0'] });
    const once = mergePending(empty, change);
    expect(once.pendingKeys).toEqual(['Pod/shop/web-0', 'Pod/shop/web-1']);
    expect(mergePending(once, change)).toEqual(once);
  });

  it('keeps the highest epoch whatever the order jobs arrive in', () => {
    const later = mergePending(empty, job({ epoch: 3 }));
    expect(mergePending(later, job({ epoch: 2 })).inventoryEpoch).toBe(3);
  });

  it('switches to a full recompile on a snapshot or too many keys, and stays there', () => {
    const full = mergePending(mergePending(empty, job({ upserted: ['Pod/a/b'] })), job({ replaced: true }));
    expect(full).toMatchObject({ fullRecompile: true, pendingKeys: [] });
    expect(mergePending(full, job({ upserted: ['Pod/a/c'] }))).toMatchObject({
      fullRecompile: true,
      pendingKeys: [],
    });
    const many = Array.from({ length: MAX_PENDING_KEYS + 1 }, (_, i) => `Pod/a/p${i}`);
    expect(mergePending(empty, job({ upserted: many })).fullRecompile).toBe(true);
  });
});
