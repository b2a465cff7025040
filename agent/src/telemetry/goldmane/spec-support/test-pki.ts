import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of a certificate and its key. */
export interface KeyPair {
  cert: string;
  key: string;
}

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

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function createCa(dir: string, name: string): Promise<KeyPair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    pair.key,
    '-out',
    pair.cert,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return pair;
}

async function issue(
  dir: string,
  ca: KeyPair,
  name: string,
  usage: 'serverAuth' | 'clientAuth',
  altNames?: string,
): Promise<KeyPair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const extensions = join(dir, `${name}.ext`);
  await writeFile(
    extensions,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      `extendedKeyUsage=${usage}`,
      ...(altNames === undefined ? [] : [`subjectAltName=${altNames}`]),
    ].join('\n'),
  );
  await run('openssl', ['req', '-new', ...EC, '-keyout', pair.key, '-out', csr, '-subj', `/CN=${name}`]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '2',
    '-extfile',
    extensions,
    '-out',
    pair.cert,
  ]);
  return pair;
}

export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'meshplane-goldmane-'));
  const [ca, rogueCa] = await Promise.all([createCa(dir, 'ca'), createCa(dir, 'rogue-ca')]);
  const [server, inClusterServer, client, rogueClient] = await Promise.all([
    issue(dir, ca, 'server', 'serverAuth', 'DNS:localhost,IP:127.0.0.1'),
    issue(dir, ca, 'in-cluster-server', 'serverAuth', 'DNS:goldmane.calico-system.svc'),
    issue(dir, ca, 'client', 'clientAuth'),
    issue(dir, rogueCa, 'rogue-client', 'clientAuth'),
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
