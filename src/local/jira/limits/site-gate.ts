import type { Caller } from '../../contracts';
import type { LimitName } from '../../forge/limits';
import type { RouteGate } from '../http/router';
import type { Route } from '../http/route';
import type { SiteState } from '../state';
import type { JiraRateLimits } from './rate-limits';

// Puts a site's rate limits (./rate-limits.ts) in front of its operations, for
// the calls the app makes through the Forge platform. Finds which issues a
// write changes, for the per-issue limit: the issue in the path, an
// attachment's issue, and both issues of a link.

/** A call the app made through the platform; `onLimitHit` learns which limit refused it. */
export interface AppCall {
  onLimitHit(limit: LimitName): void;
}

export interface GateEnv {
  actor: string;
  caller: Caller;
  /** Present for the app's calls; people's own calls pass ungated. */
  app?: AppCall;
}

export function rateLimitGate(limits: JiraRateLimits, state: SiteState): RouteGate<GateEnv> {
  const issueId = (idOrKey: unknown): string | undefined =>
    typeof idOrKey === 'string' || typeof idOrKey === 'number' ? state.stores.issues.find(String(idOrKey))?.id.toString() : undefined;

  async function writtenIssues(route: Route, params: Record<string, string>, request: Request): Promise<string[]> {
    if (params.issueIdOrKey !== undefined) return [issueId(params.issueIdOrKey)].filter((id): id is string => id !== undefined);
    if (route.operationId === 'removeAttachment') {
      const attachment = state.stores.attachments.get(Number(params.id));
      return attachment ? [String(attachment.issueId)] : [];
    }
    if (route.operationId === 'deleteIssueLink') {
      const link = state.stores.links.get(Number(params.linkId));
      return link ? [String(link.sourceId), String(link.destinationId)] : [];
    }
    if (route.operationId === 'linkIssues') {
      const body = (await request.clone().json().catch(() => ({}))) as { inwardIssue?: { id?: unknown; key?: unknown }; outwardIssue?: { id?: unknown; key?: unknown } };
      return [body.inwardIssue, body.outwardIssue].map((ref) => issueId(ref?.id ?? ref?.key)).filter((id): id is string => id !== undefined);
    }
    return [];
  }

  return {
    async before(route, params, request, env) {
      if (!env.app) return undefined;
      const onLimitHit = env.app.onLimitHit;
      return limits.admit(route, await writtenIssues(route, params, request), onLimitHit);
    },
    async after(route, answer, env) {
      return env.app ? limits.charge(route, answer) : answer;
    },
  };
}
