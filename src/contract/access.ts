// Who may call a resolver, and from which of the app's UI modules. Decided
// from what the Forge platform says about the call (the module, the person,
// the issue or project the page is open on), never from the payload.

/** The app's UI modules (manifest.yml), the only places a resolver call can come from. */
export const MODULES = {
  admin: 'exalate-admin',
  projectSettings: 'exalate-project-settings',
  issuePanel: 'exalate-issue-panel',
} as const;
export type ModuleKey = (typeof MODULES)[keyof typeof MODULES];
export const MODULE_KEYS: readonly ModuleKey[] = Object.values(MODULES);

/**
 * What the caller must hold, checked as the caller with Jira's permission API:
 * - `jiraAdmin`: the global ADMINISTER permission (a Jira admin);
 * - `projectAdmin`: ADMINISTER_PROJECTS (or ADMINISTER) on the project the page is open on;
 * - `issueBrowse` / `issueEdit`: BROWSE_PROJECTS / EDIT_ISSUES on the issue the panel is open on.
 */
export type AccessRule = 'jiraAdmin' | 'projectAdmin' | 'issueBrowse' | 'issueEdit';

/** The Jira permission each rule needs, as Jira names it (the refusal names it too). */
export const PERMISSION_OF: Record<AccessRule, 'ADMINISTER' | 'ADMINISTER_PROJECTS' | 'BROWSE_PROJECTS' | 'EDIT_ISSUES'> = {
  jiraAdmin: 'ADMINISTER',
  projectAdmin: 'ADMINISTER_PROJECTS',
  issueBrowse: 'BROWSE_PROJECTS',
  issueEdit: 'EDIT_ISSUES',
};

/** The rule a module must satisfy to call a resolver; a module not named may not call it at all. */
export type ModuleAccess = { readonly [M in ModuleKey]?: AccessRule };

/** At least one module: a resolver nobody may call is a mistake the compiler catches. */
export type NonEmptyAccess =
  | (ModuleAccess & { readonly 'exalate-admin': AccessRule })
  | (ModuleAccess & { readonly 'exalate-project-settings': AccessRule })
  | (ModuleAccess & { readonly 'exalate-issue-panel': AccessRule });

/** Shorthands for the common shapes of access. */
export const ADMIN_ONLY = { [MODULES.admin]: 'jiraAdmin' } as const satisfies NonEmptyAccess;
export const ADMIN_OR_PROJECT_ADMIN = { [MODULES.admin]: 'jiraAdmin', [MODULES.projectSettings]: 'projectAdmin' } as const satisfies NonEmptyAccess;
