// The reference for the API's figures: Node's own HTTP server answering a small JSON body, as
// fast as Node serves anything. `node reference-http-server.mjs PORT`; prints "listening" once ready.
import http from 'node:http';

const body = JSON.stringify({ status: 'ok' });
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': Buffer.byteLength(body),
};
http
  .createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  })
  .listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'));
