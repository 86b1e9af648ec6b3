import { spawn, type ChildProcess } from 'node:child_process';
import { httpUp, waitForPeer } from '../../tools/dev/demo-peers.mjs';
import { freePort } from '../support/processes.js';

// npm start's demo peers on a busy machine (tools/dev/demo-peers.mjs): a peer is waited for as
// long as its process runs (moto once took longer than a fixed 30 s and the demo lost AWS), not
// a moment longer once it has died, and stopped when it passes the ceiling. Real processes and HTTP.
function slowPeer(port: number, readyAfterMs: number, exitAfterMs?: number): ChildProcess {
  const script =
    `setTimeout(() => require('node:http').createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1'), ${readyAfterMs});` +
    (exitAfterMs === undefined ? '' : `setTimeout(() => process.exit(3), ${exitAfterMs});`);
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

describe('waiting for a demo peer', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('waits for a slow peer while its process runs', async () => {
    const port = await freePort();
    const peer = slowPeer(port, 4_000);
    children.push(peer);
    const started = Date.now();
    // a ceiling well above the start time: only the peer's answer ends the wait
    expect(await waitForPeer('slow', peer, () => httpUp(`http://127.0.0.1:${port}/`), 'slow.log', 60)).toBe(
      true,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_500);
  });

  it('stops waiting as soon as the peer’s process exits', async () => {
    const port = await freePort();
    const peer = slowPeer(port, 60_000, 1_000);
    children.push(peer);
    const started = Date.now();
    expect(await waitForPeer('dying', peer, () => httpUp(`http://127.0.0.1:${port}/`), 'dying.log', 60)).toBe(
      false,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(peer.exitCode).toBe(3);
  });

  it('gives up at the ceiling and stops the peer it started', async () => {
    const port = await freePort();
    const peer = slowPeer(port, 60_000);
    children.push(peer);
    const exited = new Promise((ok) => peer.on('exit', (_code, signal) => ok(signal)));
    expect(await waitForPeer('stuck', peer, () => httpUp(`http://127.0.0.1:${port}/`), 'stuck.log', 2)).toBe(
      false,
    );
    expect(await exited).toBe('SIGTERM');
  });
});
