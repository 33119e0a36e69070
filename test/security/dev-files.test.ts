import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { ONBOARD } from '../support/cli';

/**
 * `onboard dev > dev.log 2>&1`, as the probe ran it (issue 12, finding 10a): what it leaves on disk
 * holds tokens, names and e-mails, so it is readable by its owner only, and the engineer token is
 * printed to a terminal, never into a file.
 */
const mode = (f: string) => fs.statSync(f).mode & 0o777;

it('`onboard dev` with its output in a file: that file, the log file, temporal.db (and -wal/-shm), temporal.log and the state files are 0600; no file but the token file holds the token', async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-dev-files-'));
  const devLog = path.join(stateDir, 'dev.log');
  const logFile = path.join(stateDir, 'onboard.log');
  // As a shell with umask 022 makes it for `> dev.log`.
  const fd = fs.openSync(devLog, 'w', 0o644);
  fs.fchmodSync(fd, 0o644);
  const child = spawn(process.execPath, [ONBOARD, 'dev', '--port', '0', '--ui-port', '0'], {
    env: {
      ...process.env,
      ONBOARD_SIM_KORE_PORT: '0',
      ONBOARD_SIM_ZOOM_PORT: '0',
      ONBOARD_API_PORT: '0',
      TEMPORAL_ADDRESS: '',
      ONBOARD_CODEC_KEYS_FILE: '',
      ONBOARD_STATE_DIR: stateDir,
      ONBOARD_LOG_FILE: logFile,
      ONBOARD_LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stopped = false;
  void exited.then(() => (stopped = true));
  const tokenFile = path.join(stateDir, 'dev-tokens.json');
  let token = '';
  const runningModes: Record<string, string> = {};
  try {
    const deadline = Date.now() + 90_000;
    while (!fs.readFileSync(devLog, 'utf8').includes('Ctrl-C stops everything')) {
      if (stopped || Date.now() > deadline) throw new Error(`onboard dev did not come up:\n${fs.readFileSync(devLog, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const banner = fs.readFileSync(devLog, 'utf8');
    const apiUrl = /^API\s+(http:\/\/\S+)/m.exec(banner)![1]!;
    token = JSON.parse(fs.readFileSync(tokenFile, 'utf8'))[0].token;
    // The banner still says where the token is.
    expect(banner).toContain(tokenFile);
    // Requests the log records (a refusal is a log line), made with the token.
    const res = await axios.get(`${apiUrl}/api/v1/onboardings/no-such-tenant`, { headers: { authorization: `Bearer ${token}` }, validateStatus: () => true });
    expect(res.status).toBe(404);
    // The database and any -wal/-shm beside it, while the server has them open.
    for (const f of fs.readdirSync(stateDir).filter((n) => n.startsWith('temporal.db'))) runningModes[f] = mode(path.join(stateDir, f)).toString(8);
  } finally {
    child.kill('SIGINT');
    await exited;
  }
  const db = path.join(stateDir, 'temporal.db');
  expect(fs.existsSync(db)).toBe(true);
  const files = [devLog, logFile, db, path.join(stateDir, 'temporal.log'), tokenFile, path.join(stateDir, 'codec-keys.json')];
  for (const extra of ['-wal', '-shm', '-journal']) if (fs.existsSync(db + extra)) files.push(db + extra);
  const logs = [devLog, logFile, path.join(stateDir, 'temporal.log')];
  // One comparison, so a failure shows every file's mode and whether each log holds the token.
  expect(Object.keys(runningModes)).toContain('temporal.db');
  expect({
    runningModes,
    modes: Object.fromEntries(files.map((f) => [path.basename(f), mode(f).toString(8)])),
    tokenIn: Object.fromEntries(logs.map((f) => [path.basename(f), fs.readFileSync(f, 'utf8').includes(token)])),
  }).toEqual({
    runningModes: Object.fromEntries(Object.keys(runningModes).map((f) => [f, '600'])),
    modes: Object.fromEntries(files.map((f) => [path.basename(f), '600'])),
    tokenIn: Object.fromEntries(logs.map((f) => [path.basename(f), false])),
  });
  expect(fs.readFileSync(logFile, 'utf8')).toContain('"status":404');
  fs.rmSync(stateDir, { recursive: true, force: true });
});
