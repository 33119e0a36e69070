/**
 * A credential that can be passed around but never printed: `String()`, `JSON.stringify`,
 * `util.inspect` and template literals all show `[redacted]`. Only `reveal()` hands out the value,
 * and only the code that signs a JWT or builds an auth header calls it.
 */
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== 'string' || value.length === 0) throw new TypeError('a secret must be a non-empty string');
    this.#value = value;
  }

  static from(value: string | Secret): Secret {
    return value instanceof Secret ? value : new Secret(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return `Secret(${REDACTED})`;
  }
}
