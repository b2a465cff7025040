import { describe, expect, it } from 'vitest';
import { imageVersion, isOlderVersion } from './agent-version.js';

describe('agent versions', () => {
  it('reads the release from an image tag, and nothing from a digest or a moving tag', () => {
    expect(imageVersion('meshplane/agent:0.2.0')).toBe('0.2.0');
    expect(imageVersion('registry.example.com:5000/meshplane/agent:v1.10.3')).toBe('1.10.3');
    expect(imageVersion('registry.example.com:5000/meshplane/agent')).toBeUndefined();
    expect(imageVersion('meshplane/agent:latest')).toBeUndefined();
    expect(imageVersion('meshplane/agent@sha256:0123456789abcdef')).toBeUndefined();
  });

  it('orders releases numerically, a pre-release before its release', () => {
    expect(isOlderVersion('0.1.0', '0.2.0')).toBe(true);
    expect(isOlderVersion('0.9.0', '0.10.0')).toBe(true);
    expect(isOlderVersion('1.0.0', '0.10.0')).toBe(false);
    expect(isOlderVersion('0.2.0', '0.2.0')).toBe(false);
    expect(isOlderVersion('0.2.0-rc.1', '0.2.0')).toBe(true);
    expect(isOlderVersion('0.2.1', '0.2.0')).toBe(false);
    expect(isOlderVersion('dev', '0.2.0')).toBe(false);
  });
});
