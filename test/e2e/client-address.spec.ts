import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ControlPlane, freePort, startControlPlane } from '@meshplane/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The client's address behind a real reverse proxy (Debian's nginx, started here on loopback,
 * appending the peer to X-Forwarded-For as ingresses do). The gateway trusts only the proxy's
 * hop (TRUSTED_PROXIES=127.0.0.1): each client behind it gets its own rate-limit bucket, a
 * forged X-Forwarded-For moves no one into another's bucket, and a peer that is not a trusted
 * proxy is counted by its own address whatever header it sends. Clients are told apart by their
 * loopback source address (127.0.0.2, 127.0.0.3, ...: all loopback on Linux).
 */

const NGINX = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
if (!NGINX) console.warn('SKIPPED the reverse-proxy tests: nginx is absent (apt-get install -y nginx-light)');

const IP_LIMIT = 4;
const INSTALL_LIMIT = 3;
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request from a chosen loopback source address. */
function send(
  url: string,
  options: { from: string; method?: string; body?: unknown; headers?: Record<string, string> },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      url,
      {
        method: options.method ?? (body ? 'POST' : 'GET'),
        localAddress: options.from,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(!NGINX)('client address through a trusted reverse proxy', { timeout: 60_000 }, () => {
  let cp: ControlPlane;
  let nginx: ReturnType<typeof spawn> | undefined;
  let dir: string;
  let proxyUrl: string;

  const login = (base: string, from: string, headers: Record<string, string> = {}) =>
    send(`${base}/graphql`, {
      from,
      headers,
      // A new account each time, so that only the per-address limit is in play.
      body: {
        query: LOGIN,
        variables: { input: { tenant: 'nobody', email: `${randomUUID()}@y.example`, password: 'nope' } },
      },
    }).then(
      (answer) =>
        (JSON.parse(answer.body) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions
          ?.code,
    );

  beforeAll(async () => {
    cp = await startControlPlane({
      TRUSTED_PROXIES: '127.0.0.1',
      AUTH_RATE_LIMIT_PER_IP: String(IP_LIMIT),
      INSTALL_RATE_LIMIT_PER_MINUTE: String(INSTALL_LIMIT),
    });
    dir = mkdtempSync(path.join(tmpdir(), 'meshplane-nginx-'));
    const port = await freePort();
    proxyUrl = `http://127.0.0.1:${port}`;
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      `daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass ${cp.gatewayUrl};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
    for (let i = 0; i < 50; i += 1) {
      const up = await send(`${proxyUrl}/healthz`, { from: '127.0.0.1' }).catch(() => undefined);
      if (up?.status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('nginx did not start');
  }, 90_000);

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await cp?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives each client behind the proxy its own login budget', async () => {
    for (let i = 0; i < IP_LIMIT; i += 1) expect(await login(proxyUrl, '127.0.0.2')).toBe('UNAUTHENTICATED');
    expect(await login(proxyUrl, '127.0.0.2')).toBe('RATE_LIMITED');
    // Another client behind the same proxy is not locked out by the first.
    expect(await login(proxyUrl, '127.0.0.3')).toBe('UNAUTHENTICATED');
  });

  it('does not let a client behind the proxy claim another address with X-Forwarded-For', async () => {
    // 127.0.0.2 has spent its budget; claiming to be it spends nothing of its budget...
    expect(await login(proxyUrl, '127.0.0.4', { 'x-forwarded-for': '127.0.0.2' })).toBe('UNAUTHENTICATED');
    // ...and claiming a fresh address does not escape one's own: 127.0.0.3 has IP_LIMIT - 1 left.
    for (let i = 0; i < IP_LIMIT - 1; i += 1)
      expect(await login(proxyUrl, '127.0.0.3', { 'x-forwarded-for': `10.9.9.${i}` })).toBe(
        'UNAUTHENTICATED',
      );
    expect(await login(proxyUrl, '127.0.0.3', { 'x-forwarded-for': '10.9.9.99' })).toBe('RATE_LIMITED');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    // Straight to the gateway from 127.0.0.5, claiming to be a fresh client each time.
    for (let i = 0; i < IP_LIMIT; i += 1)
      expect(await login(cp.gatewayUrl, '127.0.0.5', { 'x-forwarded-for': `10.8.8.${i}` })).toBe(
        'UNAUTHENTICATED',
      );
    expect(await login(cp.gatewayUrl, '127.0.0.5', { 'x-forwarded-for': '10.8.8.99' })).toBe('RATE_LIMITED');
  });

  it('limits install manifest downloads per client address with 429 and Retry-After', async () => {
    const fetchInstall = (from: string) => send(`${proxyUrl}/install/mpb_nope_nope.yaml`, { from });
    for (let i = 0; i < INSTALL_LIMIT; i += 1) expect((await fetchInstall('127.0.0.6')).status).not.toBe(429);
    const limited = await fetchInstall('127.0.0.6');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(limited.body)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect((await fetchInstall('127.0.0.7')).status).not.toBe(429);
  });
});
