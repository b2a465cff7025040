import { z } from 'zod';

/** Thrown at start-up when the environment does not satisfy a process's config schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Builds one typed config object from the environment, once, at start-up. Every key of the
 * schema is an environment variable name; a missing or malformed variable stops the process
 * with a message that names it.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Variables every Meshplane server process reads. */
export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/meshplane'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key and BullMQ queue this deployment uses (tests give each worker its own). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]+$/)
    .default('mp'),
  /** HMAC secret the gateway signs internal identities with and subgraphs verify them with. */
  INTERNAL_IDENTITY_SECRET: devSecret('INTERNAL_IDENTITY_SECRET'),
  /** Session token keys, `kid:secret,kid:secret`; the first signs, all verify. */
  JWT_SIGNING_KEYS: devSecret('JWT_SIGNING_KEYS', 'dev:'),
  /**
   * After removing a deleted tenant's rows, a service removes them once more this much later, for
   * rows that work already under way at the deletion (a compile, a flow batch) wrote meanwhile.
   */
  TENANT_PURGE_FINAL_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
};

export const servicePorts = {
  gateway: 4000,
  tenants: 4001,
  clusters: 4002,
  policies: 4003,
  telemetry: 4004,
  'agent-hub': 4010,
} as const;

export type ServiceName = keyof typeof servicePorts;

export function portVariable(fallback: number) {
  return port(fallback);
}

/** A development default for secrets, refused in production. */
export function devSecret(name: string, prefix = '') {
  return z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .transform((value, ctx) => {
      if (value) return value;
      if (process.env.NODE_ENV === 'production') {
        ctx.addIssue({ code: 'custom', message: `${name} is required in production` });
        return z.NEVER;
      }
      return `${prefix}meshplane-development-only-${name.toLowerCase()}-0000000000`;
    });
}
