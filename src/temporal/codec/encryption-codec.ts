import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PLAIN_INPUT_KEY, type PlainInputPolicy } from '../../../workflows/payload-converter';
import type { Keyring } from './keyring';

export const ENCODING = 'binary/encrypted';
export const KEY_ID_KEY = 'encryption-key-id';
const CIPHER_KEY = 'encryption-cipher';
const CIPHER = 'AES-256-GCM';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/**
 * AES-256-GCM over the whole payload (metadata and data, serialised), so the server stores only
 * ciphertext plus the key id. The layout (nonce | ciphertext | tag, `binary/encrypted`,
 * `encryption-key-id`) is the one Temporal's encryption samples use in every language.
 * Payloads not encrypted by us (histories from before encryption, a client without the codec)
 * pass through decode unchanged; the worker's codec (`plainInput` set) also marks them with its
 * ONBOARD_REFUSE_PLAIN_INPUT, for the workflow to refuse or accept (workflows/payload-converter.ts).
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keyring: Keyring,
    private readonly options: { plainInput?: PlainInputPolicy } = {},
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encodeOne(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decodeOne(payload));
  }

  encodeOne(payload: Payload): Payload {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.current, nonce);
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: utf8(ENCODING), [KEY_ID_KEY]: utf8(this.keyring.currentId), [CIPHER_KEY]: utf8(CIPHER) },
      data,
    };
  }

  decodeOne(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCODING) return this.markPlain(payload);
    const keyId = text(payload.metadata?.[KEY_ID_KEY]);
    if (!keyId) throw new ValueError('an encrypted payload has no encryption-key-id');
    const key = this.keyring.get(keyId);
    if (!key) throw new ValueError(`payload encrypted with key "${keyId}", which is not loaded (loaded: ${this.keyring.ids.join(', ')})`);
    const data = Buffer.from(payload.data ?? []);
    if (data.length < NONCE_BYTES + TAG_BYTES) throw new ValueError('an encrypted payload is too short');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new ValueError(`an encrypted payload failed authentication with key "${keyId}" (tampered, or a different key under the same id)`);
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }

  /** Set over whatever the sender put under the key: only this codec says what was plain. */
  private markPlain(payload: Payload): Payload {
    const policy = this.options.plainInput;
    return policy ? { ...payload, metadata: { ...payload.metadata, [PLAIN_INPUT_KEY]: utf8(policy) } } : payload;
  }
}
