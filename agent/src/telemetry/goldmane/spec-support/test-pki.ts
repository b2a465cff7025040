import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, type KeyPair } from '@meshplane/testing';

export type { KeyPair };

/**
 * Throwaway certificates for the Goldmane tests, made with `openssl` in a temporary directory:
 * a CA with a server certificate for localhost/127.0.0.1, one for Goldmane's in-cluster name only,
 * and a client certificate; and a second, unrelated CA with its own client certificate.
 */
export interface TestPki {
  dir: string;
  ca: string;
  server: KeyPair;
  /** Valid for `goldmane.calico-system.svc` only, as Goldmane's own certificate would be. */
  inClusterServer: KeyPair;
  client: KeyPair;
  rogueCa: string;
  /** Signed by the rogue CA: Goldmane must refuse it. */
  rogueClient: KeyPair;
  remove(): Promise<void>;
}

export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'meshplane-goldmane-'));
  const [ca, rogueCa] = await Promise.all([
    createCertificateAuthority(dir, 'ca'),
    createCertificateAuthority(dir, 'rogue-ca'),
  ]);
  const [server, inClusterServer, client, rogueClient] = await Promise.all([
    issueCertificate(dir, ca, 'server', 'serverAuth', 'DNS:localhost,IP:127.0.0.1'),
    issueCertificate(dir, ca, 'in-cluster-server', 'serverAuth', 'DNS:goldmane.calico-system.svc'),
    issueCertificate(dir, ca, 'client', 'clientAuth'),
    issueCertificate(dir, rogueCa, 'rogue-client', 'clientAuth'),
  ]);
  return {
    dir,
    ca: ca.cert,
    server,
    inClusterServer,
    client,
    rogueCa: rogueCa.cert,
    rogueClient,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
