import type { FastifyRequest } from 'fastify';

/** Kore.ai's error shapes, shared by auth, limits and routes so every refusal looks like Kore's. */
export const RATE_LIMIT_MSG = 'Rate limit for this API has been reached. Please try again after some time.';

export const koreBody = (msg: string, code: number) => ({ errors: [{ msg, code }] });

/** Thrown inside a guarded handler; guarded() turns it into Kore's status, headers and body. */
export class KoreFailure {
  constructor(
    readonly status: number,
    readonly msg: string,
    readonly code: number,
    readonly headers: Record<string, string> = {},
  ) {}
}

export const fail = (status: number, msg: string, code = status, headers?: Record<string, string>) => new KoreFailure(status, msg, code, headers);
export const INVALID_CREDENTIALS = () => fail(401, 'Invalid SDK credentials', 4002);
export const INVALID_JWT = () => fail(401, 'Invalid JWT token', 4002);
export const invalidArgs = () => fail(412, 'Validation errors/ Invalid arguments', 412);
/** Kore says the same for a missing scope and for a bot app calling an admin API. */
export const scopeDenied = (status: number) => fail(status, 'Permission denied. Scope is incorrect!', 4002);

/** The JSON body as a plain object; Kore treats anything else as no fields. */
export const bodyOf = (req: FastifyRequest) => (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {});
