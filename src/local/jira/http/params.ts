// Query parameters the way Jira reads them: lists may repeat the parameter,
// separate values with commas, or both.

export function listParam(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** An integer parameter; `undefined` when absent, `NaN` when not a number. */
export function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  return /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
}

export function boolParam(url: URL, name: string): boolean | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  return raw === 'true';
}

// The contract types `startAt` as int64 and `maxResults` as int32, as Jira's
// Java beans read them. A number beyond what the parameter can hold is
// refused rather than rounded: echoing `1e+21` back would be a float no Jira
// ever answers. startAt stops at the largest integer JSON numbers carry exactly.
const INT32_MAX = 2_147_483_647;

/** `startAt`/`maxResults` paging with Jira's defaults and caps; a message when they are invalid. */
export function paging(
  url: URL,
  defaultMax: number,
  cap: number,
): { startAt: number; maxResults: number } | { error: string } {
  const startAt = intParam(url, 'startAt') ?? 0;
  const maxResults = intParam(url, 'maxResults') ?? defaultMax;
  if (Number.isNaN(startAt) || startAt < 0 || startAt > Number.MAX_SAFE_INTEGER) {
    return { error: "The 'startAt' parameter must be a non-negative integer." };
  }
  if (Number.isNaN(maxResults) || maxResults < 0 || maxResults > INT32_MAX) {
    return { error: "The 'maxResults' parameter must be a non-negative integer." };
  }
  return { startAt, maxResults: Math.min(maxResults, cap) };
}
