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
