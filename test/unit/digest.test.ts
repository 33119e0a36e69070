import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, digestOf, sha256Hex } from '../../src/domain/digest';

/** The workflow's plain-JS SHA-256 (no node:crypto in the sandbox) agrees with Node's, padding edges and non-ASCII included. */
it('sha256Hex equals node:crypto for edge lengths and any string', () => {
  for (const s of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(63), 'a'.repeat(64), 'héllo ☃ 😀 \u2028', 'x'.repeat(1000)])
    expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => sha256Hex(s) === createHash('sha256').update(s).digest('hex')));
});

it('canonical JSON sorts keys at every level, so the digest does not depend on key order', () => {
  expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
  expect(digestOf({ did: '+14155550142', domain: 'x.example' })).toBe(digestOf({ domain: 'x.example', did: '+14155550142' }));
  expect(digestOf({})).toMatch(/^sha256:[0-9a-f]{64}$/);
});
