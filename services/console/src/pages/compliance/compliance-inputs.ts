/** The Compliance page's form inputs as the API takes them, without React. */
import type { EncryptionQuery, SetEncryptionInput } from '../../api/generated';

type EncryptionSetting = NonNullable<EncryptionQuery['encryptionSettings']>[number];

/** "a, b" → ["a", "b"] (the zones a zone may talk to). */
export function zoneNames(value: string): string[] {
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/** The switches the form offers; the other WireGuard fields are kept as they are. */
export const SWITCHES = [
  { field: 'wireguardEnabled', label: 'WireGuard for IPv4 traffic' },
  { field: 'wireguardEnabledV6', label: 'WireGuard for IPv6 traffic' },
  { field: 'wireguardHostEncryptionEnabled', label: 'Also encrypt host-to-host traffic' },
] as const;

/**
 * setEncryption replaces a setting whole (fields omitted are unset), so a change to the switches
 * sends every other field as stored.
 */
export function encryptionReplacement(
  setting: EncryptionSetting | undefined,
  form: FormData,
): SetEncryptionInput {
  const { clusterId: _cluster, updatedAt: _updated, ...stored } = setting ?? {};
  const input: SetEncryptionInput = { ...stored };
  for (const { field } of SWITCHES) input[field] = form.get(field) === 'on';
  return input;
}
