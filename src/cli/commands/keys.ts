import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { addKey, loadKeyring } from '../../temporal/codec';
import { devKeyFile } from '../../temporal/codec/keys';
import { output } from '../output';
import { CliError } from '../output';

/** Payload keys: list their ids (never the keys) and rotate by adding one to the key file. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('the payload encryption keys (AES-256-GCM): list ids, rotate');

  keys
    .command('list')
    .description('list the loaded key ids; the last one encrypts new payloads')
    .option('--json', 'print as JSON')
    .action((flags: { json?: boolean }) => {
      const ring = loadKeyring(loadConfig());
      output(Boolean(flags.json)).result(
        { ids: ring.ids, current: ring.currentId },
        ring.ids.map((id) => `${id}${id === ring.currentId ? '   (encrypts new payloads)' : ''}`),
      );
    });

  keys
    .command('rotate')
    .description(
      'add a new key to the key file (ONBOARD_CODEC_KEYS_FILE, or the local one `onboard dev` made); restart workers and the API to use it; old payloads still decode',
    )
    .option('--json', 'print as JSON')
    .action((flags: { json?: boolean }) => {
      const config = loadConfig();
      if (config.codec.keys)
        throw new CliError(
          'keys come from ONBOARD_CODEC_KEYS: add the new key to that variable instead (append an entry {"id", "key"}; the last one encrypts)',
          2,
        );
      const file = config.codec.keysFile ?? devKeyFile(config.stateDir);
      const { id, count } = addKey(file);
      output(Boolean(flags.json)).result({ file, id, count }, [
        `added key ${id} to ${file} (${count} keys; new payloads use ${id} once workers and the API restart)`,
      ]);
    });
}
