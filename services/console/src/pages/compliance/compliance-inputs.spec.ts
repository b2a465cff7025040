import { describe, expect, it } from 'vitest';
import { encryptionReplacement, zoneNames } from './compliance-inputs';

describe('the Compliance page inputs', () => {
  it('reads allowed zones as comma-separated names, blanks dropped', () => {
    expect(zoneNames('')).toEqual([]);
    expect(zoneNames(' eu , us,, ')).toEqual(['eu', 'us']);
  });

  it('keeps every stored WireGuard field when the switches change (setEncryption replaces the whole setting)', () => {
    const kept = {
      wireguardListeningPort: 51999,
      wireguardListeningPortV6: null,
      wireguardMTU: 1400,
      wireguardMTUV6: null,
      wireguardKeepAlive: '25s',
      wireguardRoutingRulePriority: null,
      wireguardThreadingEnabled: null,
    };
    const stored = {
      ...kept,
      clusterId: null,
      wireguardEnabled: false,
      wireguardEnabledV6: null,
      wireguardHostEncryptionEnabled: true,
      updatedAt: '2026-12-01T00:00:00.000Z',
    };
    const checked = new FormData();
    checked.set('wireguardEnabled', 'on');
    // The switches as the form has them, every other field as stored; no clusterId or updatedAt.
    expect(encryptionReplacement(stored, checked)).toEqual({
      ...kept,
      wireguardEnabled: true,
      wireguardEnabledV6: false,
      wireguardHostEncryptionEnabled: false,
    });
  });

  it('sets only the switches for a mesh that has no setting yet', () => {
    expect(encryptionReplacement(undefined, new FormData())).toEqual({
      wireguardEnabled: false,
      wireguardEnabledV6: false,
      wireguardHostEncryptionEnabled: false,
    });
  });
});
