import fs from 'node:fs';
import { TEST_SECRETS } from './fixtures';

/** Every form a configured secret could leak in: as is, and inside a Basic auth header. */
export function secretForms(extra: string[] = []): string[] {
  const basic = (id: string, secret: string) => Buffer.from(`${id}:${secret}`).toString('base64');
  return [
    ...Object.values(TEST_SECRETS),
    basic('zoomclient-acme', TEST_SECRETS.zoomClientSecret),
    basic('demo-acme-s2s-client', 'demo-zoom-client-secret-not-real'),
    ...extra,
  ];
}

/**
 * Lines in `files` that contain any of `needles`, as `file:line: needle`. A file that is not there
 * fails the scan: a log moved or never written would otherwise pass as "no leak".
 */
export function findLeaks(files: string[], needles: string[]): string[] {
  const hits: string[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) throw new Error(`leak scan: ${file} is missing; every file the scan names must exist (was it moved, or never written?)`);
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const n of needles) if (n && line.includes(n)) hits.push(`${file}:${i + 1}: contains ${n.slice(0, 6)}…`);
      });
  }
  return hits;
}
