/** Zoom's error shapes, shared by auth, limits, paging and routes. */
export class ZoomFailure {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export const INVALID_TOKEN = () => new ZoomFailure(401, { code: 124, message: 'Invalid access token.' });
export const PER_SECOND_LIMIT_MSG = 'You have reached the maximum per-second rate limit for this API. Try again later.';

/** Zoom's 404: a resource-specific code and "<What> does not exist: <id>". */
export const notFound = (code: number, what: string, idValue: string) => new ZoomFailure(404, { code, message: `${what} does not exist: ${idValue}` });

/** Lets a lookup fail inside an expression (`find(...) ?? thrower(notFound(...))`). */
export function thrower(f: ZoomFailure): never {
  throw f;
}
