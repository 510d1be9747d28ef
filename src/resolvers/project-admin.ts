import { z } from 'zod';
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { decodeInvitation } from '../domain/invitation';
import type { ConnectionRecord } from '../domain/connection';
import { createJiraClient } from '../jira/client';
import { isJiraError } from '../jira/errors';
import { requireListedConnection } from '../connections/store';
import type { ResolverContext, ResolverHandler } from './define';

// Project settings → Exalate: project admins make and manage Basic
// connections of their own project, nothing else. The page's context is not
// trusted for this: every call asks Jira, as the caller, whether they
// administer the project (or all of Jira), and Basic mode is enforced here.

export const PROJECT_SETTINGS_MODULE = 'exalate-project-settings';

/** Resolvers that act on one connection, named by `connectionId` in the payload. Not `testRules`:
 *  it reads any issue the app can see, which would reach beyond the caller's project. */
const CONNECTION_KEYS = ['setConnectionActive', 'updateConnection', 'deleteConnection', 'pingConnection', 'getInvitation', 'renewInvitation', 'getRules', 'publishRules'];
/** Read-only resolvers the page needs and that reveal nothing of other projects' connections. */
const OPEN_KEYS = ['getInstance', 'listProjects'];

const Projected = z.looseObject({ projectKey: z.string().trim().min(1).optional() });
const ConnectionScoped = z.looseObject({ connectionId: z.string().min(1, 'is required') });
const Accepting = z.looseObject({ invitationCode: z.string(), projectKey: z.string().trim().min(1, 'is required') });
const PageProject = z.looseObject({ project: z.looseObject({ key: z.string().min(1) }) });

/** Whether the caller may administer `projectKey`, by Jira's permission API as the caller. */
export async function assertProjectAdmin(platform: Platform, context: ResolverContext, projectKey: string): Promise<void> {
  if (!context.accountId) throw new AppError('Forbidden', 'Project settings need a signed-in user: who is asking is unknown.');
  let held: Record<string, boolean>;
  try {
    held = await createJiraClient(platform.jira, { asUser: context.accountId }).permissions.mine(['ADMINISTER_PROJECTS', 'ADMINISTER'], projectKey);
  } catch (e) {
    if (isJiraError(e) && (e.kind === 'not-found' || e.kind === 'forbidden')) throw notAdmin(projectKey);
    throw e;
  }
  if (!held.ADMINISTER_PROJECTS && !held.ADMINISTER) throw notAdmin(projectKey);
}

const notAdmin = (projectKey: string) =>
  new AppError('Forbidden', `You are not an administrator of project ${projectKey}: from project settings you can only manage connections of a project you administer.`);

function assertBasic(mode: string): void {
  if (mode !== 'basic') {
    throw new AppError('Forbidden', `Project settings make and manage Basic connections only; a ${mode === 'visual' ? 'Visual' : 'Script'} connection is managed by a Jira admin in the Exalate app's admin page.`);
  }
}

/** The project the page is open on; a payload naming another project is refused. */
function pageProject(context: ResolverContext, payloadProject: string | undefined): string {
  const fromPage = PageProject.safeParse(context.extension ?? {});
  const pageKey = fromPage.success ? fromPage.data.project.key : undefined;
  if (pageKey && payloadProject && pageKey.toUpperCase() !== payloadProject.toUpperCase()) {
    throw new AppError('Forbidden', `This page belongs to project ${pageKey}: it cannot manage connections of project ${payloadProject}.`);
  }
  const key = pageKey ?? payloadProject;
  if (!key) throw new AppError('BadInput', 'projectKey: is required from project settings.');
  return key;
}

async function guardConnection(platform: Platform, payload: unknown, context: ResolverContext): Promise<ConnectionRecord> {
  const parsed = ConnectionScoped.safeParse(payload ?? {});
  if (!parsed.success) throw new AppError('BadInput', 'connectionId: is required');
  // Listed ones: a connection the partner deleted is still the project admin's to delete here.
  const connection = await requireListedConnection(platform, parsed.data.connectionId);
  pageProject(context, connection.localProjectKey);
  await assertProjectAdmin(platform, context, connection.localProjectKey);
  assertBasic(connection.mode);
  return connection;
}

/** The connection resolvers as project settings may call them, built on the admin page's. */
export function projectAdminResolvers(base: Record<string, ResolverHandler>): Record<string, ResolverHandler> {
  const wrapped: Record<string, ResolverHandler> = {};
  for (const key of OPEN_KEYS) if (base[key]) wrapped[key] = base[key];
  for (const key of CONNECTION_KEYS) {
    const handler = base[key];
    if (!handler) continue;
    wrapped[key] = async (platform, payload, context) => {
      await guardConnection(platform, payload, context);
      return handler(platform, payload, context);
    };
  }

  const list = base.listConnections;
  if (list) {
    wrapped.listConnections = async (platform, payload, context) => {
      const projectKey = pageProject(context, Projected.safeParse(payload ?? {}).data?.projectKey);
      await assertProjectAdmin(platform, context, projectKey);
      const answer = (await list(platform, {}, context)) as { ok: true; connections: { localProjectKey: string }[] };
      return { ...answer, connections: answer.connections.filter((c) => c.localProjectKey.toUpperCase() === projectKey.toUpperCase()) };
    };
  }

  const initiate = base.initiateConnection;
  if (initiate) {
    wrapped.initiateConnection = async (platform, payload, context) => {
      const parsed = z.looseObject({ projectKey: z.string().trim().min(1, 'is required'), mode: z.string(), remoteProjectKey: z.string().optional() }).safeParse(payload ?? {});
      if (!parsed.success) throw new AppError('BadInput', 'projectKey and mode are required.');
      const projectKey = pageProject(context, parsed.data.projectKey);
      await assertProjectAdmin(platform, context, projectKey);
      assertBasic(parsed.data.mode);
      // A local connection reaches into a second project: its admin must be the caller too.
      if (parsed.data.remoteProjectKey) await assertProjectAdmin(platform, context, parsed.data.remoteProjectKey);
      return initiate(platform, payload, context);
    };
  }

  const accept = base.acceptInvitation;
  if (accept) {
    wrapped.acceptInvitation = async (platform, payload, context) => {
      const parsed = Accepting.safeParse(payload ?? {});
      if (!parsed.success) throw new AppError('BadInput', 'invitationCode and projectKey are required.');
      const projectKey = pageProject(context, parsed.data.projectKey);
      await assertProjectAdmin(platform, context, projectKey);
      assertBasic(decodeInvitation(parsed.data.invitationCode).mode);
      return accept(platform, payload, context);
    };
  }
  return wrapped;
}

/** Calls from project settings reach only the wrapped resolvers; anything else is refused. */
export function refusedFromProjectSettings(key: string): ResolverHandler {
  return async () => {
    throw new AppError('Forbidden', `"${key}" is not available from project settings: ask a Jira admin to use the Exalate admin page.`);
  };
}
