import { randomUUID } from 'node:crypto';
import {
  AuditTrail,
  type AuthenticatedIdentity,
  CONFIG,
  currentContext,
  parseBearerSecret,
  redactArguments,
  SessionTokens,
  TenantDb,
} from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { TenantsConfig } from '../config.js';
import { EndedSessionsService } from '../sessions/ended-sessions.service.js';
import { type EndCause, requestedEnd } from '../sessions/session-state.js';
import { emailSchema, parseInput } from '../tenants/parse-input.js';
import { INVITATION_PREFIX } from '../tenants/secret-prefixes.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { tenantsError } from '../tenants/tenants.errors.js';
import { isActiveMember, UserEntity } from '../tenants/user.entity.js';
import { toUser } from '../tenants/user.model.js';
import type { AcceptInvitationInput, LoginInput, SignUpInput } from './auth.inputs.js';
import { currentClientIp } from './client-ip.js';
import { DUMMY_HASH_PROMISE, hashPassword, isStrongPassword, verifyPassword } from './password.js';
import { RateLimiter } from './rate-limiter.js';

const signUpSchema = z.object({
  tenantName: z.string().trim().min(2).max(64),
  email: emailSchema,
  password: z.string().max(256),
});
const loginSchema = z.object({
  tenant: z.string().max(64),
  email: z
    .string()
    .max(254)
    .transform((value) => value.toLowerCase()),
  password: z.string().max(256),
});
const acceptSchema = z.object({ token: z.string().max(256), password: z.string().max(256) });

function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

@Injectable()
export class AuthService {
  private readonly sessions: SessionTokens;
  private readonly refreshGraceMs: number;

  constructor(
    private readonly db: TenantDb,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditTrail,
    private readonly endedSessions: EndedSessionsService,
    @Inject(CONFIG) config: TenantsConfig,
  ) {
    this.sessions = new SessionTokens(config.JWT_SIGNING_KEYS, config.SESSION_TTL_SECONDS);
    this.refreshGraceMs = config.SESSION_REFRESH_GRACE_SECONDS * 1000;
  }

  async signUp(input: SignUpInput) {
    await this.limiter.consume(this.limiter.limits.ip, currentClientIp());
    const { tenantName, email, password } = parseInput(signUpSchema, input);
    await this.limiter.consume(this.limiter.limits.account('signup'), email);
    if (!isStrongPassword(password)) throw tenantsError('WEAK_PASSWORD', { field: 'password' });
    const slug = slugify(tenantName);
    if (slug.length < 2) {
      throw tenantsError(
        'INVALID_INPUT',
        { field: 'tenantName' },
        'tenantName: needs at least two letters or digits',
      );
    }
    const passwordHash = await hashPassword(password);
    const { tenant, user } = await this.db.system(async (manager) => {
      const taken = await manager.exists(TenantEntity, { where: { slug } });
      if (taken) throw tenantsError('TENANT_NAME_TAKEN', { field: 'tenantName' });
      const tenant = await manager.save(manager.create(TenantEntity, { name: tenantName, slug }));
      const user = await manager.save(
        manager.create(UserEntity, { tenantId: tenant.id, email, passwordHash, role: 'owner' }),
      );
      return { tenant, user };
    });
    return { ...(await this.issue(user)), user: toUser(user), tenant };
  }

  /**
   * Per IP every attempt counts; per account (tenant + email) only failures count, so a member
   * who signs in often is never locked out by their own successes.
   */
  async login(input: LoginInput) {
    await this.limiter.consume(this.limiter.limits.ip, currentClientIp());
    const { tenant: slug, email, password } = parseInput(loginSchema, input);
    const account = `${slug}\n${email}`;
    const accountLimit = this.limiter.limits.account('login');
    // Counted before the password check (atomic), given back on success: see RateLimiter.
    await this.limiter.consume(accountLimit, account);
    const found = await this.db.system(async (manager) => {
      const tenant = await manager.findOne(TenantEntity, { where: { slug } });
      const user = tenant
        ? await manager.findOne(UserEntity, { where: { tenantId: tenant.id, email } })
        : null;
      return { tenant, user };
    });
    const ok = await verifyPassword(found.user?.passwordHash ?? (await DUMMY_HASH_PROMISE), password);
    if (!found.tenant || !found.user || !ok) {
      if (found.tenant) await this.recordFailedLogin(found.tenant.id, slug, email);
      throw tenantsError('INVALID_CREDENTIALS');
    }
    await this.limiter.refund(accountLimit, account);
    return { ...(await this.issue(found.user)), user: toUser(found.user), tenant: found.tenant };
  }

  /** Sets the invited member's password (once), and signs them in. */
  async acceptInvitation(input: AcceptInvitationInput) {
    await this.limiter.consume(this.limiter.limits.ip, currentClientIp());
    const { token, password } = parseInput(acceptSchema, input);
    const parsed = parseBearerSecret(INVITATION_PREFIX, token);
    if (!parsed) throw tenantsError('INVITATION_INVALID');
    if (!isStrongPassword(password)) throw tenantsError('WEAK_PASSWORD', { field: 'password' });
    const accountLimit = this.limiter.limits.account('invitation');
    await this.limiter.consume(accountLimit, parsed.id);
    const passwordHash = await hashPassword(password);
    const accepted = await this.db.system(async (manager) => {
      const user = await manager.findOne(UserEntity, {
        where: { id: parsed.id },
        lock: { mode: 'pessimistic_write' },
      });
      const valid =
        user?.invitationHash &&
        user.invitationExpiresAt &&
        user.invitationExpiresAt.getTime() > Date.now() &&
        (await verifyPassword(user.invitationHash, parsed.secret));
      if (!user || !valid) return undefined;
      user.passwordHash = passwordHash;
      user.invitationHash = null;
      user.invitationExpiresAt = null;
      await manager.save(user);
      const tenant = await manager.findOneByOrFail(TenantEntity, { id: user.tenantId });
      return { user, tenant };
    });
    if (!accepted) throw tenantsError('INVITATION_INVALID');
    await this.limiter.refund(accountLimit, parsed.id);
    return { ...(await this.issue(accepted.user)), user: toUser(accepted.user), tenant: accepted.tenant };
  }

  /**
   * A new short-lived session for a signed-in member, with their current role. The gateway has
   * already checked that the member still exists and the session was not ended; an expired
   * session cannot be refreshed. The old token is refused once SESSION_REFRESH_GRACE_SECONDS
   * have passed (requests in flight with it finish).
   */
  async refresh(identity: AuthenticatedIdentity) {
    const { user, tenant } = await this.load(identity);
    await this.end(identity, 'refresh');
    return { ...(await this.issue(user)), user: toUser(user), tenant };
  }

  /** Ends the caller's session now: its token is refused from the next request. Idempotent. */
  async logout(identity: AuthenticatedIdentity) {
    const end = await this.end(identity, 'logout');
    return { sessionId: end.sessionId, endedAt: end.endedAt };
  }

  private async end(identity: AuthenticatedIdentity, cause: EndCause) {
    const session = identity.kind === 'user' ? identity.session : undefined;
    if (!session) throw tenantsError('SESSION_REQUIRED');
    const end = await this.endedSessions.end(
      { id: session.id, tenantId: identity.tenantId, expiresAt: new Date(session.expiresAt * 1000) },
      requestedEnd(cause, new Date(), this.refreshGraceMs),
    );
    return { sessionId: session.id, ...end };
  }

  async viewer(identity: AuthenticatedIdentity) {
    const { user, tenant } = await this.load(identity);
    return { user: toUser(user), tenant, role: identity.role, viaApiToken: identity.kind === 'token' };
  }

  private load(identity: AuthenticatedIdentity) {
    return this.db.tenant(identity.tenantId, async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: identity.userId } });
      const tenant = await manager.findOne(TenantEntity, { where: { id: identity.tenantId } });
      if (!user || !tenant || !isActiveMember(user)) throw tenantsError('NOT_FOUND');
      return { user, tenant };
    });
  }

  private issue(user: UserEntity) {
    return this.sessions.sign({ tenantId: user.tenantId, userId: user.id, role: user.role });
  }

  /** Failed logins into an existing tenant go to its audit log (the audit plugin cannot place them). */
  private recordFailedLogin(tenantId: string, slug: string, email: string) {
    return this.audit.record({
      id: randomUUID(),
      tenantId,
      occurredAt: new Date().toISOString(),
      service: 'tenants',
      operation: 'login',
      actorKind: 'anonymous',
      actorUserId: null,
      actorTokenId: null,
      targetType: 'AuthPayload',
      targetId: null,
      arguments: redactArguments({ input: { tenant: slug, email, password: 'x' } }),
      outcome: 'error',
      errorCode: 'UNAUTHENTICATED',
      correlationId: currentContext()?.correlationId ?? '',
    });
  }
}
