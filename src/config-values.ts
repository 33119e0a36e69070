import net from 'node:net';
import { z } from 'zod';

/** The value types our environment variables use, each refusing with a message a person can act on. */

export const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected an integer between 0 and 65535' })
    .int('expected an integer between 0 and 65535')
    .min(0, 'expected an integer between 0 and 65535')
    .max(65535, 'expected an integer between 0 and 65535')
    .default(fallback);

export const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: `expected a whole number between 1 and ${max}` })
    .int(`expected a whole number between 1 and ${max}`)
    .min(1, `expected a whole number between 1 and ${max}`)
    .max(max, `expected a whole number between 1 and ${max}`)
    .default(fallback);

const yesNo = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');
export const bool = (fallback: boolean) => yesNo.default(fallback);
/** A switch whose default follows another setting (resolved by the caller). */
export const optionalBool = yesNo.optional();

export const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), 'expected an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));

export const hostPort = z.string().regex(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:7233');

export const regionUrls = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON object like {"eu":"https://eu-bots.kore.ai"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'region ids are lowercase'), httpUrl));

/** A comma-separated list: its entries trimmed, empty ones dropped. */
export const list = (v: string) =>
  v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);

/**
 * DNS servers as `dns.Resolver#setServers` takes them: comma-separated IP addresses, each with an
 * optional port (`127.0.0.1:5353`, `[::1]:5353`). Addresses only: a name would need a resolver itself.
 */
export const resolverList = z
  .string()
  .transform(list)
  .pipe(
    z
      .array(
        z.string().refine((entry) => {
          const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(entry);
          const ip = m ? (m[1] ?? m[2])! : entry;
          return net.isIP(ip) !== 0 && (!m || (Number(m[3]) > 0 && Number(m[3]) < 65536));
        }, 'expected comma-separated IP addresses with optional ports, e.g. 127.0.0.1:5353 or [::1]:5353'),
      )
      .min(1, 'expected at least one resolver address'),
  );
