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
