import { randomUUID } from 'node:crypto';
import { type AuthenticatedIdentity, CONFIG, issueBearerSecret, TenantDb } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, IsNull, Not } from 'typeorm';
import { z } from 'zod';
import { ApiTokenEntity } from '../api-tokens/api-token.entity.js';
import type { TenantsConfig } from '../config.js';
import { emailSchema, isId, parseInput } from '../tenants/parse-input.js';
import { INVITATION_PREFIX } from '../tenants/secret-prefixes.js';
import { tenantsError } from '../tenants/tenants.errors.js';
import { UserEntity } from '../tenants/user.entity.js';
import { toUser, type User } from '../tenants/user.model.js';
import { leavesNoOwner, membershipChangeDenial } from './member-rules.js';
import type { InviteMemberInput, MemberInvitation, UpdateMemberRoleInput } from './members.inputs.js';

const inviteSchema = z.object({ email: emailSchema, role: z.enum(['viewer', 'editor', 'admin', 'owner']) });

@Injectable()
export class MembersService {
  private readonly invitationTtlMs: number;

  constructor(
    private readonly db: TenantDb,
    @Inject(CONFIG) config: TenantsConfig,
  ) {
    this.invitationTtlMs = config.INVITATION_TTL_HOURS * 3600_000;
  }

  async list(identity: AuthenticatedIdentity): Promise<User[]> {
    const rows = await this.db.tenant(identity.tenantId, (manager) =>
      manager.find(UserEntity, { where: { tenantId: identity.tenantId }, order: { email: 'ASC' } }),
    );
    return rows.map(toUser);
  }

  async invite(identity: AuthenticatedIdentity, input: InviteMemberInput): Promise<MemberInvitation> {
    const { email, role } = parseInput(inviteSchema, input);
    this.assertAllowed(identity, { newRole: role });
    const id = randomUUID();
    const { token, hash } = await issueBearerSecret(INVITATION_PREFIX, id);
    const expiresAt = new Date(Date.now() + this.invitationTtlMs);
    const member = await this.db.tenant(identity.tenantId, async (manager) => {
      if (await manager.exists(UserEntity, { where: { tenantId: identity.tenantId, email } })) {
        throw tenantsError('EMAIL_TAKEN', { field: 'email' });
      }
      return manager.save(
        manager.create(UserEntity, {
          id,
          tenantId: identity.tenantId,
          email,
          role,
          passwordHash: null,
          invitationHash: hash,
          invitationExpiresAt: expiresAt,
        }),
      );
    });
    return { member: toUser(member), invitationToken: token, expiresAt };
  }

  async updateRole(identity: AuthenticatedIdentity, input: UpdateMemberRoleInput): Promise<User> {
    const { role } = parseInput(inviteSchema.pick({ role: true }), input);
    return this.changeMember(identity, input.userId, async (manager, member, otherOwners) => {
      this.assertAllowed(identity, { currentRole: member.role, newRole: role });
      if (leavesNoOwner({ currentRole: member.role, newRole: role }, otherOwners)) {
        throw tenantsError('LAST_OWNER');
      }
      member.role = role;
      return toUser(await manager.save(member));
    });
  }

  /** Removes a member; the API tokens they created stop working with them. */
  async remove(identity: AuthenticatedIdentity, userId: string): Promise<User> {
    return this.changeMember(identity, userId, async (manager, member, otherOwners) => {
      this.assertAllowed(identity, { currentRole: member.role });
      if (leavesNoOwner({ currentRole: member.role }, otherOwners)) throw tenantsError('LAST_OWNER');
      await manager.update(
        ApiTokenEntity,
        { tenantId: identity.tenantId, createdByUserId: member.id, revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
      const removed = toUser(member);
      await manager.delete(UserEntity, { id: member.id });
      return removed;
    });
  }

  /**
   * Runs a change to one member with the tenant row locked, so two concurrent changes cannot
   * both see "another owner remains" and leave the tenant with none.
   */
  private changeMember<T>(
    identity: AuthenticatedIdentity,
    userId: string,
    change: (manager: EntityManager, member: UserEntity, otherActiveOwners: number) => Promise<T>,
  ): Promise<T> {
    if (!isId(userId)) throw tenantsError('MEMBER_NOT_FOUND', { field: 'userId' });
    return this.db.tenant(identity.tenantId, async (manager) => {
      await manager.query('SELECT id FROM "tenants"."tenants" WHERE id = $1 FOR UPDATE', [identity.tenantId]);
      const member = await manager.findOne(UserEntity, {
        where: { tenantId: identity.tenantId, id: userId },
      });
      if (!member) throw tenantsError('MEMBER_NOT_FOUND', { field: 'userId' });
      const otherActiveOwners = await manager.count(UserEntity, {
        where: {
          tenantId: identity.tenantId,
          role: 'owner',
          id: Not(member.id),
          passwordHash: Not(IsNull()),
        },
      });
      return change(manager, member, otherActiveOwners);
    });
  }

  private assertAllowed(
    identity: AuthenticatedIdentity,
    change: Parameters<typeof membershipChangeDenial>[1],
  ) {
    const denial = membershipChangeDenial(identity.role, change);
    if (denial) throw tenantsError(denial);
  }
}
