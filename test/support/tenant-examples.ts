import fs from 'node:fs';
import path from 'node:path';
import { parseTenantFile, TenantInvalid } from '../../src/domain/tenant';

/** examples/tenant.example.json as raw JSON, for tests to vary field by field. */
export const exampleTenantJson = () => JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8'));

/** The one-line-per-field errors the tenant schema gives for `raw` (none when it parses). */
export function tenantErrors(raw: unknown): string[] {
  try {
    parseTenantFile(raw);
  } catch (err) {
    if (err instanceof TenantInvalid) return err.lines;
    throw err;
  }
  return [];
}
