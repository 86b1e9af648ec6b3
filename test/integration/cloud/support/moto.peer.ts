import { AwsEc2Adapter, type AwsEc2AdapterOptions } from '@switchyard/cloud-adapters';
import type { CloudPeer } from './cloud-peer.js';
import { FaultProxy } from './fault-proxy.js';
import { PeerProcess, freePort, isUp, waitUntil } from './spawn-peer.js';

const region = 'eu-west-1';
const credentials = { accessKeyId: 'AKIDSWITCHYARDTEST', secretAccessKey: 'switchyard-test-secret' };
const throttleBody =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>' +
  '<Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>';

async function motoPost(url: string, path: string, body = ''): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', body });
  if (!res.ok) throw new Error(`moto ${path}: ${res.status} ${await res.text()}`);
}

/**
 * moto at MOTO_URL when set (tools/peers/up.sh), or a moto this file starts on a free port. State
 * is reset first, so the file sees a fresh account.
 */
export async function startMoto(): Promise<CloudPeer> {
  // a moto of this file's own unless MOTO_URL names a shared one: a reset here must not pull the
  // ground from under another file (or a developer's `npm start` on port 4566)
  let url = process.env.MOTO_URL ?? '';
  let owned: PeerProcess | undefined;
  if (!url || !(await isUp(`${url}/moto-api/`))) {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    owned = PeerProcess.start('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)]);
    await waitUntil('moto', () => isUp(`${url}/moto-api/`), 30_000).catch((e: Error) => {
      throw new Error(`${e.message} (is moto installed? python3 -c 'import moto')\n${owned?.log ?? ''}`);
    });
  }
  await motoPost(url, '/moto-api/reset');
  const options = (endpoint: string): AwsEc2AdapterOptions => ({
    region,
    credentials,
    endpoint,
    imageOwners: ['amazon'],
  });
  const adapters: AwsEc2Adapter[] = [];
  const track = (a: AwsEc2Adapter) => (adapters.push(a), a);
  const probe = track(new AwsEc2Adapter(options(url)));
  const image = (await probe.listImages())[0]?.id ?? 'ami-missing';

  return {
    name: 'moto',
    endpoint: url,
    adapter: (tuning) => track(new AwsEc2Adapter({ ...options(url), ...tuning })),
    async adapterThroughProxy(tuning) {
      const proxy = await FaultProxy.start({ target: url });
      return { adapter: track(new AwsEc2Adapter({ ...options(proxy.url), ...tuning })), proxy };
    },
    async withWrongCredentials(check) {
      // moto checks credentials only when told to; "0" turns checking on at once, "inf" off again
      await motoPost(url, '/moto-api/reset-auth', '0');
      try {
        await check(
          track(
            new AwsEc2Adapter({
              ...options(url),
              credentials: { accessKeyId: 'AKIDWRONG', secretAccessKey: 'wrong' },
            }),
          ),
        );
      } finally {
        await motoPost(url, '/moto-api/reset-auth', 'inf');
      }
    },
    throttleFault: {
      kind: 'status',
      status: 503,
      body: throttleBody,
      headers: { 'content-type': 'text/xml' },
    },
    isCreateRequest: (r) => r.body.includes('Action=RunInstances'),
    isNetworkCreateRequest: (r) => r.body.includes('Action=CreateSubnet'),
    isRuleRequest: (r) => r.body.includes('Action=AuthorizeSecurityGroup'),
    fixtures: {
      instanceType: 't3.micro',
      image,
      network: { name: 'sy-contract-net', cidr: '172.31.200.0/24', vlan: 200 },
      privateIp: '172.31.200.10',
      unknownInstanceId: 'i-0123456789abcdef0',
    },
    stateTimeoutMs: 30_000,
    async stop() {
      for (const a of adapters) await a.close();
      await owned?.stop();
    },
  };
}
