/** One Server-Sent Event as it came over the wire, with the time it arrived. */
export interface SseFrame {
  id: string | undefined;
  event: string | undefined;
  data: Record<string, unknown>;
  at: number;
}

/**
 * Reads `url` as an EventSource would (Accept: text/event-stream, optional Last-Event-ID), frame by
 * frame, until `enough` says so or `ms` pass; then closes the connection. Comments (keep-alives)
 * are left out.
 */
export async function readSse(
  url: string,
  headers: Record<string, string>,
  enough: (frames: SseFrame[]) => boolean,
  ms: number,
): Promise<{ status: number; contentType: string | null; frames: SseFrame[] }> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), ms);
  const frames: SseFrame[] = [];
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: stop.signal });
  try {
    if (!res.ok || !res.body)
      return { status: res.status, contentType: res.headers.get('content-type'), frames };
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        const data = field('data');
        if (data === undefined) continue;
        frames.push({ id: field('id'), event: field('event'), data: JSON.parse(data), at: Date.now() });
      }
      if (enough(frames)) break;
    }
  } catch (err) {
    // the timeout ends the read; what arrived until then is the answer
    if (!stop.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
  return { status: res.status, contentType: res.headers.get('content-type'), frames };
}
