import { type Role, roleAtLeast } from '@meshplane/platform';
import type { TenantsErrorReason } from '../tenants/tenants.errors.js';

/**
 * Who may change whose membership (callers are already at least admin: the roles guard checks).
 * Owners may do anything; admins manage every member below owner and grant any role below
 * owner. Returns the reason a change is refused, or undefined when it is allowed.
 */
export function membershipChangeDenial(
  actor: Role,
  change: { currentRole?: Role; newRole?: Role },
): TenantsErrorReason | undefined {
  if (actor === 'owner') return undefined;
  if (change.currentRole === 'owner' || change.newRole === 'owner') return 'OWNER_REQUIRED';
  if (change.newRole && !roleAtLeast(actor, change.newRole)) return 'ROLE_ABOVE_OWN';
  return undefined;
}

/** A change that takes the owner role from its holder leaves the tenant without one when no other owner is active. */
export function leavesNoOwner(
  change: { currentRole: Role; newRole?: Role },
  otherActiveOwners: number,
): boolean {
  const losesOwner = change.currentRole === 'owner' && change.newRole !== 'owner';
  return losesOwner && otherActiveOwners === 0;
}
