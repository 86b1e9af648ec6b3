// Runs inside one network namespace (`ip netns exec NS node packet-agent.mjs PORTS`): answers on the
// given TCP and UDP ports (TCP: accept and close; UDP: echo), and sends the probes it reads from
// standard input, one JSON object a line ({id, proto, host, port, timeoutMs}), answering each on
// standard output with {id, outcome}: "reached" (TCP connected, UDP echoed), "blocked" (the local
// ruleset refused to send it, EPERM, or nothing came back in time) or "error" with the code.
import dgram from 'node:dgram';
import net from 'node:net';
import { createInterface } from 'node:readline';

const ports = (process.argv[2] ?? '').split(',').filter(Boolean);
const say = (message) => process.stdout.write(JSON.stringify(message) + '\n');

async function listen() {
  await Promise.all(
    ports.map(
      (spec) =>
        new Promise((ok, fail) => {
          const [port, proto] = spec.split('/');
          if (proto === 'tcp') {
            const server = net.createServer((socket) => socket.end());
            server.on('error', fail);
            server.listen(Number(port), '0.0.0.0', ok);
          } else {
            const socket = dgram.createSocket('udp4');
            socket.on('message', (msg, from) => socket.send(msg, from.port, from.address));
            socket.on('error', fail);
            socket.bind(Number(port), '0.0.0.0', ok);
          }
        }),
    ),
  );
}

function probe({ proto, host, port, timeoutMs }) {
  return new Promise((settle) => {
    let done = false;
    const finish = (outcome, detail) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cleanup();
      settle(detail ? { outcome, detail } : { outcome });
    };
    const failed = (err) =>
      err.code === 'EPERM' ? finish('blocked', 'EPERM') : finish('error', err.code ?? String(err));
    const timer = setTimeout(() => finish('blocked', 'timeout'), timeoutMs);
    let cleanup;
    if (proto === 'tcp') {
      const socket = net.connect({ host, port });
      cleanup = () => socket.destroy();
      socket.on('connect', () => finish('reached'));
      socket.on('error', failed);
    } else {
      const socket = dgram.createSocket('udp4');
      cleanup = () => socket.close();
      socket.on('message', () => finish('reached'));
      socket.on('error', failed);
      socket.send('probe', port, host, (err) => err && failed(err));
    }
  });
}

await listen();
say({ ready: true });
createInterface({ input: process.stdin }).on('line', async (line) => {
  const request = JSON.parse(line);
  say({ id: request.id, ...(await probe(request)) });
});
