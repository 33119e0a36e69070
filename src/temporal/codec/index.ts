import type { DataConverter } from '@temporalio/common';
import type { Config } from '../../config';
import { EncryptionCodec } from './encryption-codec';
import { loadKeyring } from './keys';

/**
 * Must be a path: the workflow sandbox loads it as well, so it lives with the workflow code and is
 * baked into the workflow bundle (src/temporal/bundle.ts lists it for the build).
 */
export const FAILURE_CONVERTER_PATH = require.resolve('../../../workflows/failure-converter');
/** The same, for the payload converter that notes which values came unencrypted (the worker's only). */
export const PAYLOAD_CONVERTER_PATH = require.resolve('../../../workflows/payload-converter');

/**
 * The one data converter of the client, the worker and the API: payloads (inputs, results,
 * Update arguments, query answers, memos) and failure messages are encrypted before they leave
 * the process. Search attributes are not: Temporal indexes them in plain text.
 */
export function dataConverterFor(config: Pick<Config, 'codec' | 'stateDir'>): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(loadKeyring(config))], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/**
 * The worker's (and a replay's): the same, and what arrives unencrypted is marked with
 * ONBOARD_REFUSE_PLAIN_INPUT, which the workflow's handlers act on (workflows/plain-input.ts).
 */
export function workerDataConverter(config: Pick<Config, 'codec' | 'stateDir' | 'worker'>): DataConverter {
  const plainInput = config.worker.refusePlainInput ? 'refuse' : 'accept';
  return {
    payloadCodecs: [new EncryptionCodec(loadKeyring(config), { plainInput })],
    payloadConverterPath: PAYLOAD_CONVERTER_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

export { EncryptionCodec } from './encryption-codec';
export { Keyring, CodecKeys } from './keyring';
export { CodecKeysMissing, addKey, ensureDevKeyring, loadKeyring } from './keys';
