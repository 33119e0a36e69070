import type { FastifyRequest } from 'fastify';
import { ZoomFailure } from './errors';
import { invalidParam } from './query';

const PAGE_TOKEN_TTL_MS = 15 * 60_000;

/**
 * Zoom's cursor paging: `page_size` from 1 to the documented `max` (a larger or malformed one is
 * refused with 400 code 300, not capped), and opaque `next_page_token`s bound to the filters that
 * made them, which expire after 15 minutes (code 300), as Zoom's do.
 */
export function page<T>(req: FastifyRequest, key: string, items: T[], max: number, dflt: number) {
  const q = req.query as Record<string, string | undefined>;
  if (q.page_size !== undefined && !(/^\d+$/.test(q.page_size) && Number(q.page_size) >= 1 && Number(q.page_size) <= max)) {
    throw invalidParam('page_size', `must be an integer from 1 to ${max}`);
  }
  const size = q.page_size !== undefined ? Number(q.page_size) : dflt;
  const filters = JSON.stringify(
    Object.entries(q)
      .filter(([k]) => k !== 'page_size' && k !== 'next_page_token')
      .sort(),
  );
  let offset = 0;
  if (q.next_page_token) {
    try {
      const t = JSON.parse(Buffer.from(q.next_page_token, 'base64url').toString('utf8')) as { o: number; t: number; f: string };
      if (Date.now() - t.t > PAGE_TOKEN_TTL_MS || t.f !== filters || !Number.isInteger(t.o)) throw new Error('stale');
      offset = t.o;
    } catch {
      throw new ZoomFailure(400, { code: 300, message: 'The next page token is invalid or expired.' });
    }
  }
  const next = offset + size < items.length ? Buffer.from(JSON.stringify({ o: offset + size, t: Date.now(), f: filters })).toString('base64url') : '';
  return { next_page_token: next, page_size: size, total_records: items.length, [key]: items.slice(offset, offset + size) };
}
