import { z } from 'zod';

/**
 * The payload keys: several may be loaded so keys can rotate. The last one in the list encrypts
 * new payloads; every one still decrypts what it encrypted, found by the key id in the payload.
 */
export const CodecKey = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores'),
    key: z
      .string()
      .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)'),
  })
  .strict();
export const CodecKeys = z
  .array(CodecKey)
  .min(1, 'must hold at least one key')
  .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, 'key ids must be unique');
export type CodecKeys = z.infer<typeof CodecKeys>;

export class Keyring {
  readonly #keys: Map<string, Buffer>;
  /** The id new payloads are encrypted with. */
  readonly currentId: string;

  constructor(keys: CodecKeys) {
    this.#keys = new Map(keys.map((k) => [k.id, Buffer.from(k.key, 'base64')]));
    this.currentId = keys[keys.length - 1]!.id;
  }

  get current(): Buffer {
    return this.#keys.get(this.currentId)!;
  }

  get(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  /** The keys in their file form, oldest first. */
  entries(): CodecKeys {
    return [...this.#keys].map(([id, key]) => ({ id, key: key.toString('base64') }));
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  /** Parses the JSON form (`[{"id": "...", "key": "<base64>"}]`), naming the source and field on error. */
  static parse(json: string, source: string): Keyring {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      // The parser's message can quote the input, which is key material: say only where.
      throw new Error(`${source}: not JSON; expected [{"id": "...", "key": "<32 bytes base64>"}]`);
    }
    const r = CodecKeys.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      // zod names unknown keys in its message, and a key there could be key material: path only.
      const message = i.code === 'unrecognized_keys' ? 'has a field other than id and key' : i.message;
      throw new Error(`${source}: ${i.path.length ? `[${i.path.join('.')}] ` : ''}${message}`);
    }
    return new Keyring(r.data);
  }
}
