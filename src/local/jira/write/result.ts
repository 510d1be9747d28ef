// Writes fail as values carrying Jira's status code and ErrorCollection.

export interface WriteFailure {
  status: number;
  errorMessages: string[];
  errors: Record<string, string>;
}

export type WriteResult<T> = { ok: true; value: T } | { ok: false; failure: WriteFailure };

export const succeed = <T>(value: T): WriteResult<T> => ({ ok: true, value });

export const fail = (status: number, errorMessages: string[], errors: Record<string, string> = {}): WriteResult<never> => ({
  ok: false,
  failure: { status, errorMessages, errors },
});
