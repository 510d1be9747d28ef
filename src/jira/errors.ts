// A Jira REST failure as a value the engine can act on: retry later, pause a
// twin, or show a person Jira's own words.

export type JiraFailureKind = 'rate-limited' | 'unavailable' | 'not-found' | 'forbidden' | 'unauthorized' | 'bad-request' | 'conflict' | 'server-error';

export class JiraError extends Error {
  readonly kind: JiraFailureKind;
  readonly status: number;
  readonly errorMessages: string[];
  readonly errors: Record<string, string>;
  /** When Jira said when to come back (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;
  readonly operation: string;

  constructor(args: { operation: string; status: number; errorMessages?: string[]; errors?: Record<string, string>; retryAfterMs?: number }) {
    const parts = [...(args.errorMessages ?? []), ...Object.entries(args.errors ?? {}).map(([field, message]) => `${field}: ${message}`)];
    super(`${args.operation} failed (${args.status})${parts.length ? `: ${parts.join('; ')}` : ''}`);
    this.name = 'JiraError';
    this.operation = args.operation;
    this.status = args.status;
    this.errorMessages = args.errorMessages ?? [];
    this.errors = args.errors ?? {};
    this.retryAfterMs = args.retryAfterMs;
    this.kind = kindOf(args.status);
  }

  /** Worth trying again later without a person doing anything. */
  get transient(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'unavailable' || this.kind === 'server-error';
  }
}

function kindOf(status: number): JiraFailureKind {
  if (status === 429) return 'rate-limited';
  if (status === 503 || status === 502 || status === 504 || status === 0) return 'unavailable';
  if (status === 404) return 'not-found';
  if (status === 403) return 'forbidden';
  if (status === 401) return 'unauthorized';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'server-error';
  return 'bad-request';
}

export const isJiraError = (e: unknown): e is JiraError => e instanceof JiraError;

/** Jira's `Retry-After` (whole seconds, as its rate-limiting page shows), in milliseconds; undefined when absent or not a number. */
export function retryAfterMsOf(value: string | null): number | undefined {
  const text = value?.trim();
  return text && /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : undefined;
}
