import type { Request, Response } from 'express';
import type { DeploymentEventDto } from './deployment-responses.dto.js';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;

/**
 * Streams a deployment's events as Server-Sent Events until the client goes: each event with its
 * id (which `Last-Event-ID` resumes from) and type, a comment line when nothing was said for a
 * while so that proxies keep the connection. `read` answers the events after a cursor.
 */
export async function streamDeploymentEvents(
  req: Request,
  res: Response,
  after: string | undefined,
  read: (after: string | undefined) => Promise<DeploymentEventDto[]>,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  let cursor = after;
  let closed = false;
  req.on('close', () => (closed = true));
  let lastWrite = Date.now();
  while (!closed) {
    for (const e of await read(cursor)) {
      res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      cursor = e.id;
      lastWrite = Date.now();
    }
    if (Date.now() - lastWrite > HEARTBEAT_MS) {
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  res.end();
}
