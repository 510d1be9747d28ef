// What one request costs of Jira's points quota
// (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/, "How points work"):
// a base of 1, plus 1 per core object a read returns (issues, projects,
// attachments, …) and 2 per identity object (users, groups, roles,
// permissions); a write costs the base only. The page does not say how nested
// objects count: only the objects an answer lists at its top level are counted
// (an issue with its comments is one issue). POSTs that only read (search,
// bulk fetch, count) are priced as reads, by what they return.

/** POST operations that read, by the contract's operationId. */
const READING_POSTS = new Set(['searchAndReconsileIssuesUsingJqlPost', 'bulkFetchIssues', 'countIssues', 'getWorklogsForIds']);

export function isWrite(method: string, operationId: string): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  return !(method === 'POST' && READING_POSTS.has(operationId));
}

const isIdentity = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'accountId' in value && ('accountType' in value || 'displayName' in value);

const objectCost = (value: unknown): number => (isIdentity(value) ? 2 : 1);

/** The objects a read's JSON answer carries at its top level, priced. */
function objectsCost(body: unknown): number {
  if (Array.isArray(body)) return body.reduce((sum: number, item) => sum + objectCost(item), 0);
  if (typeof body !== 'object' || body === null) return 0;
  const record = body as Record<string, unknown>;
  // Pages and search answers: the listed items are the objects.
  for (const list of ['issues', 'values', 'comments', 'worklogs', 'users', 'items']) {
    if (Array.isArray(record[list])) return objectsCost(record[list]);
  }
  return objectCost(body);
}

/** Points for an answered request: 1 for a write or a failed read, 1 + its objects for a read. */
export async function pointsFor(method: string, operationId: string, answer: Response): Promise<number> {
  if (isWrite(method, operationId) || answer.status >= 400) return 1;
  if (!(answer.headers.get('content-type') ?? '').includes('json')) return 2;
  try {
    const text = await answer.clone().text();
    return 1 + (text ? objectsCost(JSON.parse(text)) : 0);
  } catch {
    return 2;
  }
}
