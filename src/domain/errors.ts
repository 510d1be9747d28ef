// Errors are values with a kind the UI can explain. A resolver that throws an
// AppError reaches the UI as its message; `status` picks the local HTTP code.

export type AppErrorKind =
  | 'BadInput'
  | 'NotFound'
  | 'Forbidden'
  | 'Conflict'
  | 'InvalidInvitation'
  | 'PartnerUnavailable'
  | 'PartnerRejected'
  | 'ScriptError'
  | 'JiraError'
  | 'NotBuiltYet'
  | 'RateLimited'
  | 'Internal';

const statusByKind: Record<AppErrorKind, number> = {
  BadInput: 400,
  NotFound: 404,
  Forbidden: 403,
  Conflict: 409,
  InvalidInvitation: 400,
  PartnerUnavailable: 502,
  PartnerRejected: 502,
  ScriptError: 400,
  JiraError: 502,
  NotBuiltYet: 501,
  RateLimited: 429,
  Internal: 500,
};

export class AppError extends Error {
  readonly kind: AppErrorKind;
  readonly details?: Record<string, unknown>;

  constructor(kind: AppErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.details = details;
  }

  get status(): number {
    return statusByKind[this.kind];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/**
 * The platform asked this installation to slow down (Forge's storage rate
 * limit). Nothing is wrong with the work: it is done again later, in full, and
 * never recorded as a failure a person must look at. A resolver that meets it
 * answers "busy, try again" (429).
 */
export class PlatformRateLimited extends AppError {
  /** Read by `isTransient`, like JiraError's. */
  readonly transient = true;

  constructor(
    /** What the platform said. */
    readonly detail: string,
    /** When the platform said to come back; Forge's storage does not say, so usually undefined. */
    readonly retryAfterMs?: number,
  ) {
    super('RateLimited', `This site's app storage is busy: Forge's storage rate limit was reached (${detail}). Nothing is lost; wait a minute and try again.`, { detail });
    this.name = 'PlatformRateLimited';
  }
}

/**
 * "Later", not "wrong": Jira's 429 and 503 (JiraError.transient) and the
 * platform's rate limits. Work that meets one is queued again after
 * `retryAfterMs` (or a backoff), never turned into a failure.
 */
export function isTransient(e: unknown): e is Error & { transient: true; retryAfterMs?: number } {
  return typeof e === 'object' && e !== null && (e as { transient?: unknown }).transient === true;
}
