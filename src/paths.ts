import fs from 'node:fs';
import path from 'node:path';

let root: string | undefined;

/** The folder holding our package.json, whether we run from `src/` (tests) or `dist/src/` (CLI). */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'kore-zcc-onboarding') return (root = dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`kore-zcc-onboarding package.json not found above ${__dirname}`);
    dir = parent;
  }
}

/**
 * Makes a regular file (a path, or an open descriptor such as stdout) readable and writable by its owner only (a file made before, or by a shell
 * redirection, is 0644 under the usual umask). Devices and pipes (/dev/stderr) are left alone, as
 * is a file this user does not own.
 */
export function ownerOnly(file: string | number): void {
  try {
    if (typeof file === 'number') {
      if (fs.fstatSync(file).isFile()) fs.fchmodSync(file, 0o600);
    } else if (fs.statSync(file).isFile()) fs.chmodSync(file, 0o600);
  } catch {
    /* not there, or not ours to change */
  }
}
