import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces can quote inputs, so they travel as an encoded payload (which
 * the encryption codec then encrypts) instead of plain text in the history. Loaded by path: the
 * workflow sandbox imports it too, so it imports nothing but @temporalio/common.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
