import { z } from 'zod';

/** A Kubernetes label name part: ≤ 63 chars, alphanumeric at both ends, `-_.` inside. */
const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash === -1) return NAME_PART.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && NAME_PART.test(key.slice(slash + 1));
}

export function isLabelValue(value: string): boolean {
  return value === '' || NAME_PART.test(value);
}

/** Labels Meshplane sets itself; users cannot. */
export const RESERVED_LABEL_PREFIX = 'meshplane.io/';

export const ClusterNameSchema = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    'must be a DNS label: lower-case letters, digits and -, at most 63',
  );

export const LabelsInputSchema = z
  .array(z.object({ key: z.string().max(317), value: z.string().max(63) }))
  .max(64, 'at most 64 labels')
  .superRefine((labels, ctx) => {
    const seen = new Set<string>();
    labels.forEach(({ key, value }, index) => {
      if (!isLabelKey(key))
        ctx.addIssue({ code: 'custom', path: [index, 'key'], message: `"${key}" is not a valid label key` });
      else if (key.startsWith(RESERVED_LABEL_PREFIX))
        ctx.addIssue({
          code: 'custom',
          path: [index, 'key'],
          message: `${RESERVED_LABEL_PREFIX} labels are set by Meshplane`,
        });
      if (!isLabelValue(value))
        ctx.addIssue({
          code: 'custom',
          path: [index, 'value'],
          message: `"${value}" is not a valid label value`,
        });
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: [index, 'key'], message: `duplicate label "${key}"` });
      seen.add(key);
    });
  })
  .transform((labels) => Object.fromEntries(labels.map(({ key, value }) => [key, value])));
