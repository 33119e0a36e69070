import { ApplicationFailure, DefaultFailureConverter, type PayloadConverter, type ProtoFailure, type SerializationContext } from '@temporalio/common';
import type { RefusalCode } from './contract/refusals';

/**
 * Failure messages and stack traces can quote inputs, so they travel as an encoded payload (which
 * the encryption codec then encrypts) instead of plain text in the history. Loaded by path: the
 * workflow sandbox imports it too, so it imports nothing but @temporalio/common (and a type).
 *
 * One exception: refusing unencrypted input (EncryptionRequired) stays in clear, without a stack,
 * since its sender has no codec to read an encrypted message; the message is a fixed line.
 */
const ENCRYPTION_REQUIRED: RefusalCode = 'EncryptionRequired';

class FailureConverter extends DefaultFailureConverter {
  readonly #clear = new DefaultFailureConverter();

  constructor() {
    super({ encodeCommonAttributes: true });
  }

  override errorToFailure(err: unknown, payloadConverter: PayloadConverter, context?: SerializationContext): ProtoFailure {
    if (!(err instanceof ApplicationFailure && err.type === ENCRYPTION_REQUIRED && !err.cause)) return super.errorToFailure(err, payloadConverter, context);
    return { ...this.#clear.errorToFailure(err, payloadConverter, context), stackTrace: '' };
  }
}

export const failureConverter = new FailureConverter();
