export interface StreamEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface StreamHandlers {
  onEvent: (e: StreamEvent) => void;
  onStatus?: (status: 'connecting' | 'open' | 'retrying', detail?: string) => void;
}

// Read with fetch rather than EventSource, to see the status of a refused answer and to send
// Last-Event-ID ourselves after a drop; the session cookie goes along (same origin).
export function followEventStream(url: string, handlers: StreamHandlers): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  let delay = 1000;

  const run = async () => {
    while (!controller.signal.aborted) {
      handlers.onStatus?.('connecting');
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const res = await fetch(url, {
          headers,
          signal: controller.signal,
          cache: 'no-store',
          credentials: 'same-origin',
        });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        handlers.onStatus?.('open');
        delay = 1000;
        await readEvents(res.body, (e) => {
          if (e.id) lastId = e.id;
          handlers.onEvent(e);
        });
      } catch (err) {
        if (controller.signal.aborted) return;
        handlers.onStatus?.('retrying', err instanceof Error ? err.message : String(err));
      }
      if (controller.signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15_000);
    }
  };
  void run();
  return () => controller.abort();
}

async function readEvents(body: ReadableStream<Uint8Array>, emit: (e: StreamEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let current: StreamEvent = { id: undefined, event: 'message', data: '' };
  let hasData = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (hasData) emit({ ...current, data: current.data.replace(/\n$/, '') });
        current = { id: current.id, event: 'message', data: '' };
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') {
        current.data += `${val}\n`;
        hasData = true;
      } else if (field === 'event') current.event = val;
      else if (field === 'id') current.id = val;
    }
  }
}
