import { describe, expect, it } from 'vitest';
import { leavesNoOwner, membershipChangeDenial } from './member-rules.js';

describe('membership change rules', () => {
  it('let owners change anyone to anything', () => {
    expect(membershipChangeDenial('owner', { currentRole: 'owner', newRole: 'viewer' })).toBeUndefined();
    expect(membershipChangeDenial('owner', { newRole: 'owner' })).toBeUndefined();
  });

  it('let admins manage members below owner, including other admins', () => {
    expect(membershipChangeDenial('admin', { currentRole: 'viewer', newRole: 'admin' })).toBeUndefined();
    expect(membershipChangeDenial('admin', { currentRole: 'admin', newRole: 'editor' })).toBeUndefined();
    expect(membershipChangeDenial('admin', { currentRole: 'editor' })).toBeUndefined();
  });

  it('keep the owner role for owners to grant, change or remove', () => {
    expect(membershipChangeDenial('admin', { newRole: 'owner' })).toBe('OWNER_REQUIRED');
    expect(membershipChangeDenial('admin', { currentRole: 'owner', newRole: 'admin' })).toBe(
      'OWNER_REQUIRED',
    );
    expect(membershipChangeDenial('admin', { currentRole: 'owner' })).toBe('OWNER_REQUIRED');
  });

  it('refuse to remove or demote the last active owner, and allow it when another remains', () => {
    expect(leavesNoOwner({ currentRole: 'owner' }, 0)).toBe(true);
    expect(leavesNoOwner({ currentRole: 'owner', newRole: 'admin' }, 0)).toBe(true);
    expect(leavesNoOwner({ currentRole: 'owner', newRole: 'owner' }, 0)).toBe(false);
    expect(leavesNoOwner({ currentRole: 'owner' }, 1)).toBe(false);
    expect(leavesNoOwner({ currentRole: 'admin' }, 0)).toBe(false);
  });
});
