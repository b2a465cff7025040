import { z } from 'zod';
import {
  MAX_ANNOTATION_VALUE_LENGTH,
  MAX_ANNOTATIONS_PER_OBJECT,
  MAX_ID_LENGTH,
  MAX_LABEL_KEY_NAME_LENGTH,
  MAX_LABEL_KEY_PREFIX_LENGTH,
  MAX_LABEL_VALUE_LENGTH,
  MAX_LABELS_PER_OBJECT,
  MAX_NAME_LENGTH,
  MAX_NAMESPACE_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_TOKEN_LENGTH,
} from './protocol.limits.js';

/** Building blocks shared by the inventory, flow and message schemas. */

/** Non-negative safe integer: sequence numbers, versions, counters. */
export const Count = z.int().min(0);
/** Strictly positive safe integer. */
export const PositiveInt = z.int().min(1);
/** Epoch milliseconds, as `Date.now()` returns. */
export const EpochMillis = z.int().min(0);
/** Epoch seconds, as Calico's flow API (Goldmane) reports flow start and end times. */
export const EpochSeconds = z.int().min(0);
export const PortNumber = z.int().min(0).max(65_535);

export const Identifier = z.string().min(1).max(MAX_ID_LENGTH);
export const Token = z.string().min(1).max(MAX_TOKEN_LENGTH);
export const Text = z.string().max(MAX_TEXT_LENGTH);

/** Kubernetes object name; only the length is checked, the API server validated the rest. */
export const ObjectName = z.string().min(1).max(MAX_NAME_LENGTH);
export const NamespaceName = z.string().min(1).max(MAX_NAMESPACE_LENGTH);

/** `Pod.spec.nodeName` and similar: empty while the pod is not scheduled. */
export const NodeNameOrEmpty = z.string().max(MAX_NAME_LENGTH);

// A Kubernetes kind (`StagedNetworkPolicy`): an upper-case letter, then letters and digits.
const KIND_NAME = /^[A-Z][A-Za-z0-9]*$/;

export const KindName = z
  .string()
  .max(MAX_TOKEN_LENGTH)
  .regex(KIND_NAME, { error: 'expected a Kubernetes kind (e.g. StagedNetworkPolicy)' });

// How Calico names its releases (`ClusterInformation.spec.calicoVersion`): `v3.30.2`,
// `v3.31.0-0.dev-12-gabcdef`; the leading `v` is optional.
const CALICO_VERSION = /^v?\d{1,4}\.\d{1,4}(\.\d{1,4})?([-+][0-9A-Za-z.+-]{1,64})?$/;

export const CalicoVersion = z
  .string()
  .regex(CALICO_VERSION, { error: 'expected a Calico version such as v3.30.2' });

export const IpAddressSchema = z.union([z.ipv4(), z.ipv6()], { error: 'expected an IPv4 or IPv6 address' });

// Kubernetes' own formats (apimachinery validation): a qualified name and a DNS-1123 subdomain.
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A label or annotation key: `[prefix/]name`, prefix a DNS subdomain ≤ 253, name ≤ 63. */
export function isQualifiedKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (name.length > MAX_LABEL_KEY_NAME_LENGTH || !QUALIFIED_NAME.test(name)) return false;
  if (prefix === undefined) return true;
  return prefix.length <= MAX_LABEL_KEY_PREFIX_LENGTH && DNS_SUBDOMAIN.test(prefix);
}

const QualifiedKey = z.string().refine(isQualifiedKey, {
  error: 'expected a Kubernetes label key ([prefix/]name, prefix ≤ 253, name ≤ 63)',
});

export const LabelValue = z
  .string()
  .max(MAX_LABEL_VALUE_LENGTH)
  .regex(LABEL_VALUE, { error: 'expected a Kubernetes label value' });

function atMostKeys(max: number) {
  return (value: Record<string, string>) => Object.keys(value).length <= max;
}

/** Kubernetes labels: validated keys and values, at most `MAX_LABELS_PER_OBJECT` of them. */
export const LabelsSchema = z
  .record(QualifiedKey, LabelValue)
  .refine(atMostKeys(MAX_LABELS_PER_OBJECT), { error: `expected at most ${MAX_LABELS_PER_OBJECT} labels` });

/** Kubernetes annotations the agent forwards; values capped at `MAX_ANNOTATION_VALUE_LENGTH`. */
export const AnnotationsSchema = z
  .record(QualifiedKey, z.string().max(MAX_ANNOTATION_VALUE_LENGTH))
  .refine(atMostKeys(MAX_ANNOTATIONS_PER_OBJECT), {
    error: `expected at most ${MAX_ANNOTATIONS_PER_OBJECT} annotations`,
  });

export const L4ProtocolSchema = z.enum(['TCP', 'UDP', 'SCTP']);
export type L4Protocol = z.infer<typeof L4ProtocolSchema>;
export type Labels = z.infer<typeof LabelsSchema>;
export type Annotations = z.infer<typeof AnnotationsSchema>;
