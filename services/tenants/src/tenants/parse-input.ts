import { z } from 'zod';

export { isId, parseInput } from '@meshplane/platform';

export const emailSchema = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());
