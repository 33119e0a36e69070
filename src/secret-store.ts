import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { envNameMatches, type SecretRefPolicy } from './config';
import { SECRET_REF, type TenantFile, type TenantInput } from './domain/tenant';
import { Secret } from './secret';

/**
 * Secret references: `store:TENANT/FIELD.START` (our store, ONBOARD_SECRET_STORE_DIR: a directory
 * every API and worker replica mounts; mode 0600, one file per field and start), and the operator's `env:NAME` (the worker's
 * environment) and `file:PATH` (a mounted file). The starter moves inline secrets into the store,
 * so workflow inputs and histories only ever hold references; only activities resolve them.
 *
 * Who may use which reference:
 * - API callers (and so the dashboard): inline secrets, or `store:` references of their own tenant.
 * - Operators (`onboard start`): also `env:` and `file:` references, inside the allow-lists
 *   ONBOARD_SECRET_ENV_NAMES and ONBOARD_SECRET_FILE_DIRS (empty: none).
 * - The worker checks every reference again (workflow input can be written by anyone with access
 *   to Temporal): the allow-lists after resolving `..` and symlinks, a `store:` reference only for
 *   the run's own tenant, regular files only (opened without blocking, so a FIFO or a device is
 *   refused, not read), at most SECRET_MAX_BYTES, within SECRET_READ_TIMEOUT_MS. Whatever the
 *   reason, it says the same thing (SecretUnavailable), so a reference cannot probe which files
 *   or variables exist; the reason goes to the worker's log only.
 */

/** The tenant fields that hold secrets, as named in errors and in store file names. */
export const SECRET_FIELDS = ['kore.clientSecret', 'kore.adminApp.clientSecret', 'zoom.clientSecret'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

/** The largest secret a reference may name (a file, a variable). */
export const SECRET_MAX_BYTES = 64 * 1024;
/** How long the worker waits for one reference (a hung mount must not hold an activity). */
export const SECRET_READ_TIMEOUT_MS = 5_000;

/** A reference the worker will not or cannot use. The message is the same whatever the reason. */
export class SecretUnavailable extends Error {
  override readonly name = 'SecretUnavailable';
  constructor(
    readonly field: string,
    /** Why, for the worker's log only; never in the message (it would make an oracle). */
    readonly reason: string,
  ) {
    super(
      `secret ${field}: the reference is not allowed here or names nothing this worker can read (operators: see ONBOARD_SECRET_FILE_DIRS, ONBOARD_SECRET_ENV_NAMES)`,
    );
  }
}

export function isSecretRef(value: string): boolean {
  return SECRET_REF.test(value);
}

/** A store file's name: the field, then the start that wrote it (time-ordered; none before starts had one). */
const STORE_FILE = /^(kore\.clientSecret|kore\.adminApp\.clientSecret|zoom\.clientSecret)(?:\.([0-9a-z]{1,40}))?$/;
const STORE_REF = /^store:([a-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

/** The secret fields a tenant has, with their values (inline or references). */
function secretsOf(t: TenantFile | TenantInput): Array<[SecretField, string]> {
  const out: Array<[SecretField, string]> = [['kore.clientSecret', t.kore.clientSecret]];
  if (t.kore.adminApp) out.push(['kore.adminApp.clientSecret', t.kore.adminApp.clientSecret]);
  out.push(['zoom.clientSecret', t.zoom.clientSecret]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// At the start: which references this caller may give.

/** Who is starting: an API caller (inline or own `store:` only) or an operator (`onboard start`: the allow-lists too). */
export type SecretRefOrigin = 'caller' | 'operator';

export const CALLER_REF_REFUSED =
  'must be the secret itself, or a store: reference of this tenant (env: and file: references are for operators, with `onboard start`)';

/** The secret fields of a tenant file this caller may not give, one `{ field, message }` each. */
export function secretRefErrors(t: TenantFile, o: { origin: SecretRefOrigin; policy: SecretRefPolicy }): Array<{ field: string; message: string }> {
  return secretsOf(t).flatMap(([field, value]) => {
    const message = refRefusal(value, t.tenantId, o);
    return message ? [{ field, message }] : [];
  });
}

export function refRefusal(value: string, tenantId: string, o: { origin: SecretRefOrigin; policy: SecretRefPolicy }): string | undefined {
  if (!isSecretRef(value)) return undefined; // inline: it goes to the store
  if (value.startsWith('store:')) {
    const m = STORE_REF.exec(value);
    if (m?.[1] === tenantId && STORE_FILE.test(m[2]!)) return undefined;
    return o.origin === 'caller' ? CALLER_REF_REFUSED : `a store: reference must name one of this tenant's stored secrets (store:${tenantId}/...)`;
  }
  if (o.origin === 'caller') return CALLER_REF_REFUSED;
  const { envNames, fileDirs } = o.policy;
  if (value.startsWith('env:')) {
    if (!envNames.length) return 'env: references are off here; set ONBOARD_SECRET_ENV_NAMES to the variable names (or PREFIX_* patterns) they may name';
    return envAllowed(value.slice(4), envNames) ? undefined : `${value} is not allowed by ONBOARD_SECRET_ENV_NAMES (${envNames.join(', ')})`;
  }
  if (!fileDirs.length) return 'file: references are off here; set ONBOARD_SECRET_FILE_DIRS to the directories they may point under';
  const file = value.slice(5);
  // Here the path is checked as written (`..` resolved); the worker checks it again with symlinks resolved.
  return path.isAbsolute(file) && fileDirs.some((d) => isUnder(path.resolve(file), d))
    ? undefined
    : `${value} is not under ONBOARD_SECRET_FILE_DIRS (${fileDirs.join(', ')})`;
}

const envAllowed = (name: string, patterns: readonly string[]) => patterns.some((p) => envNameMatches(p, name));
const isUnder = (file: string, dir: string) => file.startsWith(dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`);

// ---------------------------------------------------------------------------------------------
// In the worker: resolving a reference.

export interface ResolveOptions {
  /** The secret store (config.secrets.storeDir). */
  store: string;
  /** The run's tenant: a `store:` reference must name it. */
  tenantId: string;
  policy: SecretRefPolicy;
  /** The tenant field the reference is for, named in the error. */
  field?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** The secret a reference names, if this worker may use it; else SecretUnavailable (one message, the reason aside). */
export async function resolveSecretRef(ref: string, o: ResolveOptions): Promise<Secret> {
  const timeoutMs = o.timeoutMs ?? SECRET_READ_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      valueOf(ref, o),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Refusal(`not read within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return new Secret(value);
  } catch (err) {
    const reason = err instanceof Refusal ? err.message : `${(err as NodeJS.ErrnoException).code ?? 'error'}`;
    throw new SecretUnavailable(o.field ?? 'reference', `${shownRef(ref)}: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A reason the worker refuses a reference (for its log). */
class Refusal extends Error {}

/** What the log may show of a reference: not an inline secret that got here by mistake. */
const shownRef = (ref: string) => (isSecretRef(ref) ? ref : '(an inline value)');

async function valueOf(ref: string, o: ResolveOptions): Promise<string> {
  if (!isSecretRef(ref)) throw new Refusal('an inline value where only a reference is allowed');
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    if (!envAllowed(name, o.policy.envNames)) throw new Refusal('not allowed by ONBOARD_SECRET_ENV_NAMES');
    const value = (o.env ?? process.env)[name];
    if (!value) throw new Refusal('not set');
    if (Buffer.byteLength(value) > SECRET_MAX_BYTES) throw new Refusal(`longer than ${SECRET_MAX_BYTES} bytes`);
    return value;
  }
  if (ref.startsWith('file:')) {
    const file = ref.slice(5);
    if (!path.isAbsolute(file)) throw new Refusal('not an absolute path');
    const real = await fs.promises.realpath(file);
    const dirs = await realDirs(o.policy.fileDirs);
    if (!dirs.some((d) => isUnder(real, d))) throw new Refusal(`${real} is not under ONBOARD_SECRET_FILE_DIRS`);
    return readRegularFile(real);
  }
  const m = STORE_REF.exec(ref);
  if (!m || !STORE_FILE.test(m[2]!)) throw new Refusal('not a store reference');
  if (m[1] !== o.tenantId) throw new Refusal(`names another tenant than the run's (${o.tenantId})`);
  const [store] = await realDirs([o.store]);
  const real = await fs.promises.realpath(path.join(o.store, m[1]!, m[2]!));
  if (!store || !isUnder(real, store)) throw new Refusal('leads out of the store');
  return readRegularFile(real);
}

/** The allowed directories with their symlinks resolved; those that do not exist allow nothing. */
async function realDirs(dirs: readonly string[]): Promise<string[]> {
  const real = await Promise.all(dirs.map((d) => fs.promises.realpath(d).catch(() => undefined)));
  return real.filter((d): d is string => d !== undefined);
}

const { O_RDONLY, O_NONBLOCK, O_NOCTTY } = fs.constants;
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * A regular file's trimmed text, at most SECRET_MAX_BYTES. Opened non-blocking (a FIFO's open
 * does not wait for a writer) and checked with fstat before any read, so a FIFO, a device or a
 * directory is refused without reading a byte of it.
 */
async function readRegularFile(file: string): Promise<string> {
  const fh = await fs.promises.open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Refusal('not a regular file');
    if (st.size > SECRET_MAX_BYTES) throw new Refusal(`larger than ${SECRET_MAX_BYTES} bytes`);
    const buf = Buffer.alloc(SECRET_MAX_BYTES + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > SECRET_MAX_BYTES) throw new Refusal(`larger than ${SECRET_MAX_BYTES} bytes`);
    }
    const value = buf.subarray(0, n).toString('utf8').trim();
    if (!value) throw new Refusal('empty');
    return value;
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The store.

/** A start's inline secrets, written to files of its own. */
export interface StoredSecrets {
  /** The tenant as the run receives it: every secret a reference. */
  tenant: TenantInput;
  /** The start did not happen: removes the files this start wrote. */
  discard(): void;
  /**
   * The start happened (so no other run of this tenant is running): removes the tenant's store
   * files from earlier starts that this run does not reference. Files of a later start are kept.
   */
  pruneOlder(): void;
}

/**
 * A time-ordered id for a start (base-36 milliseconds, then random), so "earlier" is a string
 * comparison. Strictly increasing within a process; two processes' starts in the same millisecond
 * are ordered by chance, which is harmless: of two starts of a tenant only one can succeed while
 * the other's run is open.
 */
let lastStartMs = 0;
export const newStartId = () => {
  lastStartMs = Math.max(Date.now(), lastStartMs + 1);
  return `${lastStartMs.toString(36).padStart(9, '0')}${randomBytes(4).toString('hex')}`;
};

/**
 * Replaces each inline secret of a tenant file with a `store:TENANT/FIELD.START` reference, writing
 * the value to a new 0600 file: a start never overwrites the files a running onboarding reads.
 */
export function storeInlineSecrets(t: TenantFile, store: string): StoredSecrets {
  const startId = newStartId();
  const dir = path.join(store, t.tenantId);
  const written: string[] = [];
  const put = (field: SecretField, value: string): string => {
    if (isSecretRef(value)) return value;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = `${field}.${startId}`;
    const file = path.join(dir, name);
    // 'wx': a new file, never one that is there (or a symlink planted in its place).
    fs.writeFileSync(file, value, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(file, 0o600);
    written.push(file);
    return `store:${t.tenantId}/${name}`;
  };
  const removeWritten = () => {
    for (const f of written) fs.rmSync(f, { force: true });
  };
  let tenant: TenantInput;
  try {
    tenant = {
      ...t,
      kore: {
        ...t.kore,
        clientSecret: put('kore.clientSecret', t.kore.clientSecret),
        adminApp: t.kore.adminApp && { ...t.kore.adminApp, clientSecret: put('kore.adminApp.clientSecret', t.kore.adminApp.clientSecret) },
      },
      zoom: { ...t.zoom, clientSecret: put('zoom.clientSecret', t.zoom.clientSecret) },
    };
  } catch (err) {
    removeWritten();
    throw err;
  }
  return {
    tenant,
    discard: removeWritten,
    pruneOlder() {
      const used = new Set(
        secretsOf(tenant)
          .map(([, ref]) => STORE_REF.exec(ref))
          .filter((m) => m?.[1] === t.tenantId)
          .map((m) => m![2]!),
      );
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        return; // no store files for this tenant
      }
      for (const name of names) {
        const m = STORE_FILE.exec(name);
        if (!m || used.has(name)) continue;
        const earlier = m[2] === undefined || m[2] < startId;
        if (earlier) fs.rmSync(path.join(dir, name), { force: true });
      }
    },
  };
}
