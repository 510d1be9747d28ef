const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9]\d*$/;

/** Why `text` can't be synced from `projectKey`, or null when it can. */
export function checkIssueKey(text: string, projectKey: string | null): string | null {
  const key = text.trim().toUpperCase();
  const example = `${projectKey ?? 'TEST'}-1`;
  if (!key) return `Enter an issue key, such as ${example}.`;
  if (!ISSUE_KEY.test(key)) return `"${text.trim()}" is not an issue key. Issue keys look like ${example}.`;
  if (projectKey && !key.startsWith(`${projectKey}-`)) return `Enter an issue key from the project ${projectKey}, such as ${example}.`;
  return null;
}
