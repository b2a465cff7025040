import { baseConfigShape, portVariable, servicePorts } from '@meshplane/platform';
import { z } from 'zod';

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const tenantsConfigSchema = z.object({
  ...baseConfigShape,
  TENANTS_PORT: portVariable(servicePorts.tenants),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /**
   * How long a session token replaced by a refresh keeps working, so requests already in flight
   * with it (another tab's, the refresh's own race) finish. A logout ends a session at once.
   */
  SESSION_REFRESH_GRACE_SECONDS: z.coerce.number().int().min(0).max(120).default(10),
  /** Sign-up, login and invitation attempts one client IP may make per window. */
  AUTH_RATE_LIMIT_PER_IP: positive(60),
  AUTH_RATE_LIMIT_IP_WINDOW_SECONDS: positive(60),
  /** Failed logins (or invitation acceptances) per account, and sign-ups per email, per window. */
  AUTH_RATE_LIMIT_PER_ACCOUNT: positive(10),
  AUTH_RATE_LIMIT_ACCOUNT_WINDOW_SECONDS: positive(900),
  /** How long an invitation can be accepted. */
  INVITATION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});

export type TenantsConfig = z.infer<typeof tenantsConfigSchema>;
