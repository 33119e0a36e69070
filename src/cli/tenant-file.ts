import fs from 'node:fs';
import { parseTenantFile, TenantInvalid, type TenantFile } from '../domain/tenant';
import { CliError } from './output';

/** Reads a tenant JSON file; a bad one gets one line per wrong field, each with its JSON path. */
export function readTenantFile(file: string): TenantFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`, 2);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file}: not JSON (${(err as Error).message})`, 2);
  }
  try {
    return parseTenantFile(raw);
  } catch (err) {
    if (err instanceof TenantInvalid)
      throw new CliError(
        `${file} is not a valid tenant`,
        2,
        err.lines.map((l) => `${file}: ${l}`),
      );
    throw err;
  }
}
