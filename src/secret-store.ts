import fs from 'node:fs';
import path from 'node:path';
import { SECRET_REF, type TenantFile, type TenantInput } from './domain/tenant';
import { Secret } from './secret';

/**
 * Secret references: `env:NAME` (the worker's environment), `file:PATH` (a mounted file) and
 * `store:TENANT/FIELD` (our local store under ONBOARD_STATE_DIR/secrets, mode 0600). The starter
 * moves inline secrets into the store, so workflow inputs and histories only ever hold references;
 * only activities resolve them.
 */
export class SecretUnavailable extends Error {
  override readonly name = 'SecretUnavailable';
}

export function isSecretRef(value: string): boolean {
  return SECRET_REF.test(value);
}

const storeDir = (stateDir: string) => path.join(stateDir, 'secrets');

export function resolveSecretRef(ref: string, opts: { stateDir: string; env?: NodeJS.ProcessEnv }): Secret {
  const env = opts.env ?? process.env;
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const value = env[name];
    if (!value) throw new SecretUnavailable(`secret ${ref}: the variable ${name} is not set where the worker runs`);
    return new Secret(value);
  }
  if (ref.startsWith('file:')) {
    const file = ref.slice(5);
    return new Secret(readSecretFile(file, ref));
  }
  if (ref.startsWith('store:')) {
    const [tenantId, field] = ref.slice(6).split('/') as [string, string];
    return new Secret(readSecretFile(path.join(storeDir(opts.stateDir), tenantId, field), ref));
  }
  throw new SecretUnavailable('a secret was given inline where only a reference is allowed');
}

function readSecretFile(file: string, ref: string): string {
  let value: string;
  try {
    value = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new SecretUnavailable(`secret ${ref}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!value) throw new SecretUnavailable(`secret ${ref}: the file is empty`);
  return value;
}

/** Replaces each inline secret of a tenant file with a `store:` reference, writing the value 0600. */
export function storeInlineSecrets(t: TenantFile, stateDir: string): TenantInput {
  const put = (field: string, value: string): string => {
    if (isSecretRef(value)) return value;
    const dir = path.join(storeDir(stateDir), t.tenantId);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, field);
    fs.writeFileSync(file, value, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return `store:${t.tenantId}/${field}`;
  };
  return {
    ...t,
    kore: {
      ...t.kore,
      clientSecret: put('kore.clientSecret', t.kore.clientSecret),
      adminApp: t.kore.adminApp && { ...t.kore.adminApp, clientSecret: put('kore.adminApp.clientSecret', t.kore.adminApp.clientSecret) },
    },
    zoom: { ...t.zoom, clientSecret: put('zoom.clientSecret', t.zoom.clientSecret) },
  };
}
