import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { VsphereAdapter, type VsphereAdapterOptions } from '@switchyard/cloud-adapters';
import type { CloudPeer } from './cloud-peer.js';
import { FaultProxy } from './fault-proxy.js';
import { PeerProcess } from './spawn-peer.js';

function isUpTls(sdkUrl: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(new URL('/about', sdkUrl), { ca, timeout: 2_000 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

const root = process.cwd();
const username = 'switchyard';
const password = 'vcsim-secret';

/** The cached vcsim binary, built by tools/peers/build-vcsim.sh when missing (40-100 s once). */
function vcsimBinary(): string {
  const fromEnv = process.env.VCSIM_BIN;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return execFileSync(join(root, 'tools/peers/build-vcsim.sh'), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/**
 * A fresh vcsim for this test file (one simulator per process, ~0.3 s, ~22 MB), on TLS with a
 * throwaway certificate the adapter trusts explicitly through `caCert`.
 */
export async function startVcsim(): Promise<CloudPeer> {
  const certDir = join(root, '.switchyard/cache/vcsim-cert');
  execFileSync(join(root, 'tools/peers/vcsim-cert.sh'), [certDir]);
  const key = readFileSync(join(certDir, 'key.pem'), 'utf8');
  const shared = process.env.VCSIM_URL;
  const sharedCa = process.env.VCSIM_CA_CERT ?? join(certDir, 'cert.pem');
  if (shared && (await isUpTls(shared, readFileSync(sharedCa, 'utf8')))) {
    // a vcsim started by tools/peers/up.sh: shared inventory, so the suite must not assume a fresh one
    return peer(shared, process.env.VCSIM_USERNAME ?? username, process.env.VCSIM_PASSWORD ?? password, {
      cert: readFileSync(sharedCa, 'utf8'),
      key,
    });
  }
  const sim = PeerProcess.start(vcsimBinary(), [
    '-listen',
    '127.0.0.1:0',
    '-username',
    username,
    '-password',
    password,
    '-cert',
    join(certDir, 'cert.pem'),
    '-key',
    join(certDir, 'key.pem'),
  ]);
  const url = await sim.firstLine(15_000);
  return peer(url, username, password, { cert: readFileSync(join(certDir, 'cert.pem'), 'utf8'), key }, sim);
}

function peer(
  url: string,
  username: string,
  password: string,
  { cert, key }: { cert: string; key: string },
  sim?: PeerProcess,
): CloudPeer {
  const options = (sdkUrl: string): VsphereAdapterOptions => ({
    url: sdkUrl,
    username,
    password,
    caCert: cert,
  });
  const adapters: VsphereAdapter[] = [];
  const track = (a: VsphereAdapter) => (adapters.push(a), a);

  return {
    name: 'vcsim',
    caCert: cert,
    endpoint: url,
    login: { username, password },
    adapter: (tuning) => track(new VsphereAdapter({ ...options(url), ...tuning })),
    async adapterThroughProxy(tuning) {
      const proxy = await FaultProxy.start({ target: url, tls: { cert, key }, targetCa: cert });
      const sdk = new URL(url);
      return {
        adapter: track(new VsphereAdapter({ ...options(`${proxy.url}${sdk.pathname}`), ...tuning })),
        proxy,
      };
    },
    async withWrongCredentials(check) {
      const bad = new VsphereAdapter({ ...options(url), password: 'wrong' });
      try {
        await check(bad);
      } finally {
        await bad.close();
      }
    },
    throttleFault: { kind: 'status', status: 429, body: 'Too Many Requests' },
    isCreateRequest: (r) => r.body.includes('<CloneVM_Task'),
    isNetworkCreateRequest: (r) => r.body.includes('<AddDVPortgroup_Task'),
    fixtures: {
      instanceType: 'small',
      image: 'tmpl-linux',
      network: { name: 'sy-contract-net', cidr: '10.43.0.0/24', vlan: 43 },
      privateIp: '10.43.0.10',
      unknownInstanceId: 'vm-999999',
    },
    stateTimeoutMs: 30_000,
    async stop() {
      for (const a of adapters) await a.close().catch(() => undefined);
      await sim?.stop();
    },
  };
}
