import type { Platform } from '../ports';
import { AppError } from '../domain/errors';

// A connection names a project on each side; make sure ours exists before
// anything is stored or sent.

export async function assertProjectExists(platform: Platform, projectKey: string): Promise<{ key: string; name: string | null }> {
  const response = await platform.jira.request({ method: 'GET', path: `/rest/api/3/project/${encodeURIComponent(projectKey)}` });
  if (response.status === 200) {
    let name: string | null = null;
    try {
      const body = JSON.parse(await response.text()) as { key?: unknown; name?: unknown };
      if (typeof body.name === 'string') name = body.name;
    } catch {
      // The status is what matters here.
    }
    return { key: projectKey, name };
  }
  // Jira answers 404 both for a missing project and for one the app may not see.
  if (response.status === 404) throw new AppError('BadInput', `Project ${projectKey} does not exist.`);
  throw new AppError('JiraError', `Jira answered HTTP ${response.status} when looking up project ${projectKey}.`);
}
