import { token } from './api.js';
import type { Json } from './dom.js';

/**
 * Follows a run's progress events (GET .../events, Server-Sent Events) with fetch, which can send
 * the bearer header (EventSource cannot). Calls `on` with each progress document; `ended` once the
 * stream is gone (refused, closed, the network), so the page falls back to polling. Returns stop.
 */
export function followProgress(tenantId: string, on: (p: Json) => void, ended: () => void): () => void {
  const abort = new AbortController();
  let lastId: string | undefined;
  void (async () => {
    try {
      const res = await fetch(`/api/v1/onboardings/${encodeURIComponent(tenantId)}/events`, {
        headers: { authorization: `Bearer ${token()}`, accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
        signal: abort.signal,
      });
      if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        // Events end with a blank line; a partial one waits for the rest.
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            const i = line.indexOf(':');
            if (i > 0) fields.set(line.slice(0, i), (fields.get(line.slice(0, i)) ?? '') + line.slice(i + 1).trimStart());
          }
          if (fields.get('event') === 'progress' && fields.has('data')) {
            lastId = fields.get('id');
            on(JSON.parse(fields.get('data')!) as Json);
          }
        }
      }
    } catch {
      // Refused, closed or aborted: the caller polls instead.
    }
    if (!abort.signal.aborted) ended();
  })();
  return () => abort.abort();
}
