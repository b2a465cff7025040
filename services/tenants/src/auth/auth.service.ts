import { type AuthenticatedIdentity, CONFIG, SessionTokens, TenantDb } from '@meshplane/platform';
import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { TenantsConfig } from '../config.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { tenantsError } from '../tenants/tenants.errors.js';
import { UserEntity } from '../tenants/user.entity.js';
import type { LoginInput, SignUpInput } from './auth.inputs.js';
import { DUMMY_HASH_PROMISE, hashPassword, isStrongPassword, verifyPassword } from './password.js';

const email = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());
const signUpSchema = z.object({
  tenantName: z.string().trim().min(2).max(64),
  email,
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

/** Parses input with a schema, turning the first problem into a BAD_USER_INPUT naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw tenantsError('INVALID_INPUT', { field }, `${field}: ${issue.message}`);
}

export function slugify(name: string): string {
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

  constructor(
    private readonly db: TenantDb,
    @Inject(CONFIG) config: TenantsConfig,
  ) {
    this.sessions = new SessionTokens(config.JWT_SIGNING_KEYS, config.SESSION_TTL_SECONDS);
  }

  async signUp(input: SignUpInput) {
    const { tenantName, email, password } = parseInput(signUpSchema, input);
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
    return { ...(await this.issue(user)), user, tenant };
  }

  async login(input: LoginInput) {
    const { tenant: slug, email, password } = parseInput(loginSchema, input);
    const found = await this.db.system(async (manager) => {
      const tenant = await manager.findOne(TenantEntity, { where: { slug } });
      const user = tenant
        ? await manager.findOne(UserEntity, { where: { tenantId: tenant.id, email } })
        : null;
      return tenant && user ? { tenant, user } : undefined;
    });
    const ok = await verifyPassword(found?.user.passwordHash ?? (await DUMMY_HASH_PROMISE), password);
    if (!found || !ok) throw tenantsError('INVALID_CREDENTIALS');
    return { ...(await this.issue(found.user)), ...found };
  }

  async viewer(identity: AuthenticatedIdentity) {
    return this.db.tenant(identity.tenantId, async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: identity.userId } });
      const tenant = await manager.findOne(TenantEntity, { where: { id: identity.tenantId } });
      if (!user || !tenant) throw tenantsError('NOT_FOUND');
      return { user, tenant, role: identity.role, viaApiToken: identity.kind === 'token' };
    });
  }

  private issue(user: UserEntity) {
    return this.sessions.sign({ tenantId: user.tenantId, userId: user.id, role: user.role });
  }
}
