// Turns whatever a failed `invoke` rejects with into an error value the UI can
// explain. On Forge a resolver's thrown error arrives as an Error carrying its
// message; the local host page rejects with an Error that also carries the
// HTTP status and the server's error kind.

export type ApiErrorKind =
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
  | 'Internal'
  | 'Unreachable'
  | 'RateLimited'
  | 'UnexpectedAnswer';

export interface ApiError {
  kind: ApiErrorKind;
  /** A sentence a Jira admin can act on. */
  message: string;
  /** The resolver key that failed. */
  resolver: string;
  status?: number;
  /** Script errors: which script and the line it failed on, when the server says. */
  script?: 'outgoing' | 'incoming';
  line?: number;
}

const serverKinds: ReadonlySet<string> = new Set<ApiErrorKind>([
  'BadInput',
  'NotFound',
  'Forbidden',
  'Conflict',
  'InvalidInvitation',
  'PartnerUnavailable',
  'PartnerRejected',
  'ScriptError',
  'JiraError',
  'NotBuiltYet',
  'Internal',
  // The app's storage is over Forge's rate limit: the server says "busy, try again" (429).
  'RateLimited',
]);

// Forge wraps a resolver's error message in this sentence.
const FORGE_WRAPPER = /^there was an error invoking the function\s*-\s*/i;
const NO_DEFINITION = /Resolver has no definition for '([^']+)'|Unknown resolver "([^"]+)"/;
const UNREACHABLE = /failed to fetch|networkerror|load failed|network request failed|unable to establish a connection with the custom ui bridge/i;
const RATE_LIMITED = /rate limit/i;

function readField(value: unknown, field: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
}

function rawMessage(rejection: unknown): string {
  if (typeof rejection === 'string') return rejection;
  const error = readField(rejection, 'error');
  if (typeof error === 'string' && error) return error;
  const message = readField(rejection, 'message');
  if (typeof message === 'string' && message) return message;
  return '';
}

function kindFromStatus(status: number | undefined): ApiErrorKind | undefined {
  if (status === undefined) return undefined;
  if (status === 400 || status === 422) return 'BadInput';
  if (status === 401 || status === 403) return 'Forbidden';
  if (status === 404) return 'NotFound';
  if (status === 409) return 'Conflict';
  if (status === 429) return 'RateLimited';
  if (status === 501) return 'NotBuiltYet';
  if (status === 502 || status === 503 || status === 504) return 'PartnerUnavailable';
  if (status >= 500) return 'Internal';
  return undefined;
}

export function describeRejection(resolver: string, rejection: unknown): ApiError {
  const statusField = readField(rejection, 'status');
  const status = typeof statusField === 'number' ? statusField : undefined;
  const kindField = readField(rejection, 'kind');
  const message = rawMessage(rejection).replace(FORGE_WRAPPER, '').trim();

  const missing = NO_DEFINITION.exec(message);
  if (missing || kindField === 'NotBuiltYet' || status === 501) {
    const name = missing?.[1] ?? missing?.[2] ?? resolver;
    return {
      kind: 'NotBuiltYet',
      resolver,
      status,
      message: missing || !message ? `This isn't available yet: the app's server has no "${name}" action.` : message,
    };
  }
  if (UNREACHABLE.test(message)) {
    return {
      kind: 'Unreachable',
      resolver,
      status,
      message: "Couldn't reach the app's server. Check that Jira (or the local runtime) is running, then try again.",
    };
  }
  if (typeof kindField === 'string' && serverKinds.has(kindField)) {
    const described: ApiError = { kind: kindField as ApiErrorKind, resolver, status, message: message || defaultMessage(kindField as ApiErrorKind) };
    return kindField === 'ScriptError' ? { ...described, ...scriptPlace(readField(rejection, 'details'), message) } : described;
  }
  if (RATE_LIMITED.test(message)) {
    return { kind: 'RateLimited', resolver, status, message };
  }
  const kind = kindFromStatus(status) ?? 'Internal';
  return { kind, resolver, status, message: message || defaultMessage(kind) };
}

export function defaultMessage(kind: ApiErrorKind): string {
  switch (kind) {
    case 'BadInput':
      return 'Some of the values entered were not accepted.';
    case 'NotFound':
      return 'It no longer exists. Reload the page to see the current state.';
    case 'Forbidden':
      return "You don't have permission to do this.";
    case 'RateLimited':
      return 'Too many requests in a short time. Wait a moment and try again.';
    case 'PartnerUnavailable':
      return "The other side isn't answering. Try again later.";
    default:
      return 'Something went wrong on the server. Try again, and check the Errors page if it keeps happening.';
  }
}

/** A short heading for an error message box. */
export function errorTitle(kind: ApiErrorKind): string {
  switch (kind) {
    case 'BadInput':
    case 'InvalidInvitation':
      return 'Check what you entered';
    case 'NotFound':
      return 'Not found';
    case 'Forbidden':
      return 'Not allowed';
    case 'Conflict':
      return 'That conflicts with the current state';
    case 'PartnerUnavailable':
      return "The other side isn't answering";
    case 'PartnerRejected':
      return 'The other side refused';
    case 'ScriptError':
      return 'A sync script failed';
    case 'JiraError':
      return 'Jira refused the change';
    case 'NotBuiltYet':
      return 'Not available yet';
    case 'Unreachable':
      return "Can't reach the server";
    case 'RateLimited':
      return 'Slow down';
    case 'UnexpectedAnswer':
      return 'Unexpected answer from the server';
    default:
      return 'Something went wrong';
  }
}

const LINE_IN_MESSAGE = /\bline (\d+)/;
const SCRIPT_IN_MESSAGE = /\b(outgoing|incoming) script\b/;

/** Where a script error is: from the error's details when the host forwards them, else from its message. */
export function scriptPlace(details: unknown, message: string): Pick<ApiError, 'script' | 'line'> {
  const line = readField(details, 'line');
  const script = readField(details, 'script');
  const lineMatch = LINE_IN_MESSAGE.exec(message);
  const scriptMatch = SCRIPT_IN_MESSAGE.exec(message);
  const place: Pick<ApiError, 'script' | 'line'> = {};
  if (typeof line === 'number' && line > 0) place.line = line;
  else if (lineMatch) place.line = Number(lineMatch[1]);
  if (script === 'outgoing' || script === 'incoming') place.script = script;
  else if (scriptMatch) place.script = scriptMatch[1] as 'outgoing' | 'incoming';
  return place;
}
