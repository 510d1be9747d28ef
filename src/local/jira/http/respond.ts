// Responses in Jira's shapes. Errors are always an ErrorCollection:
// `{"errorMessages": [...], "errors": {field: message}}`.

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function jiraError(status: number, errorMessages: string[], errors: Record<string, string> = {}): Response {
  return json(status, { errorMessages, errors });
}

export const fieldErrors = (errors: Record<string, string>): Response => jiraError(400, [], errors);

export const issueNotFound = (): Response =>
  jiraError(404, ['Issue does not exist or you do not have permission to see it.']);

export const notFound = (message: string): Response => jiraError(404, [message]);

export const badRequest = (message: string): Response => jiraError(400, [message]);
