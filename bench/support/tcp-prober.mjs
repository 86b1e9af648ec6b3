// Run inside a network namespace (`ip netns exec NS node tcp-prober.mjs`). Each line on stdin is a
// JSON round: { targets: [ip…], port, want: 'open' | 'closed', timeoutMs, pauseMs, deadlineMs }.
// Every target is probed with TCP connects until it shows `want`: open is a connect or a refusal
// (a RST: nothing listens, but the packet got through), closed is no answer within timeoutMs (the
// SYN was dropped, and the next one too within 4 × timeoutMs). Answers one JSON line: { times: { ip: epoch ms } } with, per target, when it
// first showed `want` (for open: when the answer came; for closed: when the dropped SYN left), and
// the targets that never did by the deadline in `missed`.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function probe(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (state) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => done('closed'), timeoutMs);
    socket.once('connect', () => done('open'));
    socket.once('error', (err) => done(err.code === 'ECONNREFUSED' ? 'open' : 'closed'));
  });
}

async function round({ targets, port, want, timeoutMs, pauseMs, deadlineMs }) {
  const deadline = now() + deadlineMs;
  const times = {};
  const missed = [];
  await Promise.all(
    targets.map(async (ip) => {
      while (now() < deadline) {
        const sent = now();
        let state = await probe(ip, port, timeoutMs);
        // on a busy host a RST can come late: a closing is confirmed by a second, longer wait
        if (state === 'closed' && want === 'closed') state = await probe(ip, port, timeoutMs * 4);
        if (state === want) {
          times[ip] = want === 'open' ? now() : sent;
          return;
        }
        if (state === 'open') await sleep(pauseMs);
      }
      missed.push(ip);
    }),
  );
  return { times, missed };
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  process.stdout.write(`${JSON.stringify(await round(JSON.parse(line)))}\n`);
}
