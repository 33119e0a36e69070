import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { addKey, CodecKeysMissing, EncryptionCodec, Keyring, loadKeyring } from '../../src/temporal/codec';
import { newKey } from '../../src/temporal/codec/keys';
import { plainInputRefusal } from '../../workflows/contract';
import { failureConverter } from '../../workflows/failure-converter';
import { PLAIN_INPUT_KEY, payloadConverter, plainInputPolicy } from '../../workflows/payload-converter';

const json = (v: unknown): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(v)) });
const meta = (p: Payload, k: string) => Buffer.from(p.metadata![k]!).toString('utf8');
const k1 = { id: 'k1', key: Buffer.alloc(32, 1).toString('base64') };
const k2 = { id: 'k2', key: Buffer.alloc(32, 2).toString('base64') };

describe('EncryptionCodec', () => {
  it('round-trips a payload, metadata included, and leaves no plaintext behind', async () => {
    const codec = new EncryptionCodec(new Keyring([k1]));
    const original = json({ domain: 'acme.zcc.example', did: '+14155550123' });
    const [enc] = await codec.encode([original]);
    expect(meta(enc!, 'encoding')).toBe('binary/encrypted');
    expect(meta(enc!, 'encryption-key-id')).toBe('k1');
    expect(Buffer.from(enc!.data!).toString('latin1')).not.toMatch(/acme|4155550123|json\/plain/);
    const [dec] = await codec.decode([enc!]);
    expect(meta(dec!, 'encoding')).toBe('json/plain');
    expect(JSON.parse(Buffer.from(dec!.data!).toString())).toEqual({ domain: 'acme.zcc.example', did: '+14155550123' });
  });

  it('uses a fresh nonce per payload (same input, different ciphertexts)', async () => {
    const codec = new EncryptionCodec(new Keyring([k1]));
    const [a, b] = await codec.encode([json('x'), json('x')]);
    expect(Buffer.compare(Buffer.from(a!.data!), Buffer.from(b!.data!))).not.toBe(0);
  });

  it('rotates: new payloads use the newest key, payloads under the old key still decode', async () => {
    const before = new EncryptionCodec(new Keyring([k1]));
    const after = new EncryptionCodec(new Keyring([k1, k2]));
    const [old] = await before.encode([json('old')]);
    const [fresh] = await after.encode([json('new')]);
    expect(meta(fresh!, 'encryption-key-id')).toBe('k2');
    const decoded = await after.decode([old!, fresh!]);
    expect(decoded.map((p) => Buffer.from(p.data!).toString())).toEqual(['"old"', '"new"']);
  });

  it("names the missing key when a payload's key is not loaded, and refuses tampered data", async () => {
    const [enc] = await new EncryptionCodec(new Keyring([k1])).encode([json('x')]);
    await expect(new EncryptionCodec(new Keyring([k2])).decode([enc!])).rejects.toThrow('payload encrypted with key "k1", which is not loaded (loaded: k2)');
    const flipped = Buffer.from(enc!.data!);
    flipped[20] = flipped[20]! ^ 1;
    const tampered = { ...enc!, data: flipped };
    await expect(new EncryptionCodec(new Keyring([k1])).decode([tampered])).rejects.toThrow(/failed authentication with key "k1"/);
    // Same id, different key material: caught too.
    await expect(new EncryptionCodec(new Keyring([{ id: 'k1', key: k2.key }])).decode([enc!])).rejects.toThrow(/failed authentication/);
  });

  it('passes through payloads written before encryption (old histories keep replaying)', async () => {
    const plain = json({ tenantId: 'acme' });
    expect(await new EncryptionCodec(new Keyring([k1])).decode([plain])).toEqual([plain]);
  });

  it("the worker's codec marks what it did not decrypt with its setting, over any mark the sender set; decrypted input is unmarked", async () => {
    const worker = new EncryptionCodec(new Keyring([k1]), { plainInput: 'refuse' });
    const [enc] = await worker.encode([json({ stepId: 'a' })]);
    const forged = { ...json({ stepId: 'a' }), metadata: { ...json(0).metadata, [PLAIN_INPUT_KEY]: Buffer.from('accept') } };
    const [plain, sent, decrypted] = await worker.decode([json({ stepId: 'a' }), forged, enc!]);
    expect([meta(plain!, PLAIN_INPUT_KEY), meta(sent!, PLAIN_INPUT_KEY), decrypted!.metadata![PLAIN_INPUT_KEY]]).toEqual(['refuse', 'refuse', undefined]);
    // The data is left as it was: only the mark is added.
    expect([plain, decrypted].map((p) => Buffer.from(p!.data!).toString())).toEqual(['{"stepId":"a"}', '{"stepId":"a"}']);
    const [accepting] = await new EncryptionCodec(new Keyring([k1]), { plainInput: 'accept' }).decode([json({})]);
    expect(meta(accepting!, PLAIN_INPUT_KEY)).toBe('accept');
  });
});

describe('plain input, as the workflow sees it', () => {
  const marked = (v: unknown, mark?: string): Payload => ({
    ...json(v),
    metadata: { ...json(v).metadata, ...(mark ? { [PLAIN_INPUT_KEY]: Buffer.from(mark) } : {}) },
  });

  it('the payload converter notes marked objects by identity, leaving the values as they were', () => {
    const refused = payloadConverter.fromPayload(marked({ stepId: 'a' }, 'refuse'));
    const accepted = payloadConverter.fromPayload(marked([1], 'accept'));
    const encrypted = payloadConverter.fromPayload(marked({ stepId: 'a' }));
    expect([refused, accepted, encrypted]).toEqual([{ stepId: 'a' }, [1], { stepId: 'a' }]);
    expect([plainInputPolicy(refused), plainInputPolicy(accepted), plainInputPolicy(encrypted)]).toEqual(['refuse', 'accept', undefined]);
    // An equal value converted apart is another object; a primitive cannot be noted (it is no message of ours).
    expect(plainInputPolicy({ stepId: 'a' })).toBeUndefined();
    expect(plainInputPolicy(payloadConverter.fromPayload(marked('a', 'refuse')))).toBeUndefined();
    expect(payloadConverter.toPayload({ a: 1 })).toEqual(defaultPayloadConverter.toPayload({ a: 1 }));
  });

  it('a refusal of plain input travels in clear (its sender has no codec) and without a stack; every other failure is encoded', () => {
    const refusal = ApplicationFailure.create({ type: 'EncryptionRequired', message: plainInputRefusal('Update'), nonRetryable: true });
    const clear = failureConverter.errorToFailure(refusal, payloadConverter);
    expect([clear.message, clear.stackTrace, clear.encodedAttributes]).toEqual([plainInputRefusal('Update'), '', undefined]);
    const other = failureConverter.errorToFailure(ApplicationFailure.create({ type: 'StepNotOpen', message: 'acme-secret-detail' }), payloadConverter);
    expect([other.message, other.stackTrace]).toEqual(['Encoded failure', '']);
    expect(other.encodedAttributes).toBeDefined();
  });
});

describe('payload keys', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-keys-'));

  it('parses the JSON form; a bad entry is named by its path and no key material is echoed', () => {
    expect(new Keyring([k1, k2]).currentId).toBe('k2');
    expect(() => Keyring.parse('[{"id":"a","key":"c2hvcnQ="}]', 'ONBOARD_CODEC_KEYS')).toThrow(
      'ONBOARD_CODEC_KEYS: [0.key] must be 32 bytes in base64 (openssl rand -base64 32)',
    );
    expect(() => Keyring.parse(JSON.stringify([k1, k1]), 'f')).toThrow('f: key ids must be unique');
    expect(() => Keyring.parse('[]', 'f')).toThrow('f: must hold at least one key');
    // An unknown field's name could itself be a key pasted in the wrong place: never echoed.
    const misplaced = JSON.stringify([{ ...k1, [k2.key]: true }]);
    expect(() => Keyring.parse(misplaced, 'f')).toThrow('f: [0] has a field other than id and key');
    expect(() => Keyring.parse(misplaced, 'f')).not.toThrow(k2.key);
    try {
      Keyring.parse(`{"id": "k", "key": "${k1.key}"`, 'f');
      throw new Error('no error');
    } catch (err) {
      expect((err as Error).message).toBe('f: not JSON; expected [{"id": "...", "key": "<32 bytes base64>"}]');
    }
  });

  it('addKey creates a 0600 file and appends, keeping older keys', () => {
    const file = path.join(dir(), 'codec-keys.json');
    const first = addKey(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = addKey(file);
    expect(second.count).toBe(2);
    const ring = Keyring.parse(fs.readFileSync(file, 'utf8'), file);
    expect(ring.ids).toEqual([first.id, second.id]);
    expect(ring.currentId).toBe(second.id);
    expect(newKey().id).toMatch(/^k\d{8}-[0-9a-f]{6}$/);
  });

  it('loadKeyring: env JSON, then the file, then the dev file; none is a clear error', () => {
    const d = dir();
    expect(loadKeyring({ stateDir: d, codec: { keys: JSON.stringify([k1]), corsOrigins: [] } }).currentId).toBe('k1');
    expect(() => loadKeyring({ stateDir: d, codec: { corsOrigins: [] } })).toThrow(CodecKeysMissing);
    expect(() => loadKeyring({ stateDir: d, codec: { corsOrigins: [] } })).toThrow(
      /no payload encryption key: set ONBOARD_CODEC_KEYS or ONBOARD_CODEC_KEYS_FILE, or run `onboard dev` once/,
    );
    expect(() => loadKeyring({ stateDir: d, codec: { keysFile: path.join(d, 'nope.json'), corsOrigins: [] } })).toThrow(
      `ONBOARD_CODEC_KEYS_FILE=${path.join(d, 'nope.json')}: cannot read it`,
    );
    addKey(path.join(d, 'codec-keys.json'));
    expect(loadKeyring({ stateDir: d, codec: { corsOrigins: [] } }).ids).toHaveLength(1);
  });
});
