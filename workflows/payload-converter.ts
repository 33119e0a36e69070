import { DefaultPayloadConverter, str, type ConverterHint, type Payload, type PayloadConverter, type SerializationContext } from '@temporalio/common';

/**
 * Input a client sent without the payload codec (so without the payload key): the worker's codec
 * marks every payload it did not decrypt with this metadata key, valued with the worker's
 * ONBOARD_REFUSE_PLAIN_INPUT (`refuse` or `accept`). The workflow never sees metadata, so this
 * converter, which the sandbox runs on every payload, notes which values came marked.
 *
 * Values stay as they were: a history from before encryption (plain activity results, a plain
 * start) converts to the same values it always did, so it replays as it ran. Only the places that
 * take people's input (the start, Updates, Signals) ask `plainInputPolicy` and decide.
 *
 * Loaded by path (the worker's dataConverter and the workflow bundle), so it imports nothing but
 * @temporalio/common.
 */
export const PLAIN_INPUT_KEY = 'onboard-plain-input';
export type PlainInputPolicy = 'refuse' | 'accept';

// By identity: our messages are objects. A plain primitive is no message of ours (refused as InvalidInput).
const marked = new WeakMap<object, PlainInputPolicy>();

class PlainMarkingConverter implements PayloadConverter {
  readonly #inner = new DefaultPayloadConverter();

  toPayload<T>(value: T, context?: SerializationContext, hint?: ConverterHint<T>): Payload {
    return this.#inner.toPayload(value, context, hint);
  }

  fromPayload<T>(payload: Payload, context?: SerializationContext, hint?: ConverterHint<T>): T {
    const value = this.#inner.fromPayload<T>(payload, context, hint);
    const mark = payload.metadata?.[PLAIN_INPUT_KEY];
    if (mark && typeof value === 'object' && value !== null) marked.set(value, str(mark) === 'accept' ? 'accept' : 'refuse');
    return value;
  }
}

export const payloadConverter: PayloadConverter = new PlainMarkingConverter();

/** Whether `value` arrived unencrypted, and what the worker that decoded it says to do: undefined for encrypted input. */
export const plainInputPolicy = (value: unknown): PlainInputPolicy | undefined => (typeof value === 'object' && value !== null ? marked.get(value) : undefined);
