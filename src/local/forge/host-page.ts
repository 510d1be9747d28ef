import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { bridgeScript } from './bridge/build';
import type { BridgeConfig } from './bridge/bridge';

// The page the local runtime serves at `/<site>/apps/<moduleKey>/<route?>`:
// the built custom UI (static/dist/index.html) with what Jira would put
// around it. Before the bundle runs, a script defines `window.__bridge`, the
// object every @forge/bridge call goes through, and answers those calls
// locally: resolvers over `POST /<site>/bridge/invoke`, the module's context,
// the subpage history, navigation and flags. So the bundle that runs on Forge
// runs here unchanged.

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const defaultIndexPath = join(projectRoot, 'static/dist/index.html');
const manifestPath = join(projectRoot, 'manifest.yml');

export interface HostPageArgs {
  siteName: string;
  /** Absolute site URL, e.g. `http://localhost:8080/blue`. */
  siteUrl: string;
  cloudId: string;
  accountId: string;
  /** The `Authorization` header that acts as that person: resolver calls and Jira calls from the page carry it. */
  authorization: string | null;
  /** Seeded people to switch to from the page's top bar (the sandbox's stand-in for logging in as someone else). */
  people?: { accountId: string; displayName: string }[];
  moduleKey: string;
  /** Module context as Jira gives it, e.g. `{ issue: { key } }` or `{ project: { key } }`. */
  extension: Record<string, unknown>;
  /** The subpage route from the URL, e.g. `connections`; empty for the module's own page. */
  route?: string;
  /** Where the runtime serves `static/dist`, e.g. `/ui/`. */
  uiBase: string;
}

export interface HostPageOptions {
  /** The built index.html; defaults to static/dist/index.html, read once. */
  indexHtml?: string;
  /** Subpages for the host's sidebar; defaults to the module's `pages` in manifest.yml. */
  subpages?: Subpage[];
  /** Jira module type for the context's `extension.type`; defaults to the manifest's. */
  moduleType?: string;
  locale?: string;
  timezone?: string;
}

export interface Subpage {
  title: string;
  route: string;
}

// ---------------------------------------------------------------------------
// The built UI

export class UiNotBuiltError extends Error {
  constructor(path: string) {
    super(`The custom UI is not built: ${path} is missing. Run "npm run build:ui".`);
    this.name = 'UiNotBuiltError';
  }
}

const indexCache = new Map<string, string>();

/** static/dist/index.html, read on first use and kept; `forgetUiIndexHtml` drops it after a rebuild. */
export function readUiIndexHtml(path: string = defaultIndexPath): string {
  const cached = indexCache.get(path);
  if (cached !== undefined) return cached;
  let html: string;
  try {
    html = readFileSync(path, 'utf8');
  } catch {
    throw new UiNotBuiltError(path);
  }
  indexCache.set(path, html);
  return html;
}

export function forgetUiIndexHtml(): void {
  indexCache.clear();
}

// ---------------------------------------------------------------------------
// What the manifest says about UI modules (type and subpages)

const UiModule = z.object({
  key: z.string(),
  title: z.string().optional(),
  pages: z.array(z.object({ title: z.string(), route: z.string() })).optional(),
});
const ManifestUi = z.object({
  modules: z.record(z.string(), z.unknown()),
});

interface UiModuleInfo {
  type: string;
  title?: string;
  pages: Subpage[];
}

let manifestModules: Map<string, UiModuleInfo> | undefined;

function uiModulesFromManifest(): Map<string, UiModuleInfo> {
  if (manifestModules) return manifestModules;
  const modules = new Map<string, UiModuleInfo>();
  try {
    const manifest = ManifestUi.parse(parseYaml(readFileSync(manifestPath, 'utf8')));
    for (const [type, entries] of Object.entries(manifest.modules)) {
      if (!type.startsWith('jira:') || !Array.isArray(entries)) continue;
      for (const entry of entries) {
        const parsed = UiModule.safeParse(entry);
        if (parsed.success) modules.set(parsed.data.key, { type, title: parsed.data.title, pages: parsed.data.pages ?? [] });
      }
    }
  } catch {
    // Without a readable manifest the page still works, only without a sidebar.
  }
  manifestModules = modules;
  return modules;
}

// ---------------------------------------------------------------------------
// The page

/** Query parameters that belong to the host page (who is looking, which issue or project), not to the app's routes. */
export const HOST_QUERY_PARAMS = ['as', 'issueKey', 'projectKey'] as const;


/** Script text that cannot end its <script> element early. */
function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function sitePathOf(siteUrl: string, siteName: string): string {
  try {
    const path = new URL(siteUrl).pathname.replace(/\/+$/, '');
    return path || `/${siteName}`;
  } catch {
    return `/${siteName}`;
  }
}

function buildConfig(args: HostPageArgs, options: HostPageOptions, moduleType: string): BridgeConfig {
  const sitePath = sitePathOf(args.siteUrl, args.siteName);
  const basePath = `${sitePath}/apps/${encodeURIComponent(args.moduleKey)}`;
  return {
    siteName: args.siteName,
    sitePath,
    basePath,
    route: (args.route ?? '').replace(/^\/+|\/+$/g, ''),
    invokePath: `${sitePath}/bridge/invoke`,
    authorization: args.authorization,
    hostParams: HOST_QUERY_PARAMS,
    // The shape of @forge/bridge's FullContext.
    context: {
      accountId: args.accountId,
      cloudId: args.cloudId,
      siteUrl: args.siteUrl,
      moduleKey: args.moduleKey,
      extension: { type: moduleType, ...args.extension },
      localId: `ari:cloud:ecosystem::extension/local/${args.siteName}/static/${args.moduleKey}`,
      environmentId: 'local',
      environmentType: 'DEVELOPMENT',
      locale: options.locale ?? 'en-US',
      timezone: options.timezone ?? 'UTC',
      theme: null,
      surfaceColor: null,
    },
  };
}

function renderChrome(args: HostPageArgs, config: BridgeConfig, moduleInfo: UiModuleInfo | undefined, subpages: Subpage[], moduleType: string): { before: string; after: string } | null {
  // An issue panel lives inside the issue view's own frame: no chrome.
  if (moduleType === 'jira:issuePanel') return null;
  // Jira's top navigation, as an admin sees it above every settings page: product, main menus, who is signed in.
  const home = `<a class="host-bar__home" href="${escapeHtml(config.sitePath)}/">${JIRA_MARK}<span>Jira</span><span class="host-bar__site">${escapeHtml(args.siteName)}</span></a>`;
  const menus = `<nav class="host-bar__menus" aria-label="Jira"><a href="${escapeHtml(config.sitePath)}/">Your work</a><a href="${escapeHtml(config.sitePath)}/">Projects</a><a href="${escapeHtml(config.sitePath)}/">Filters</a><a aria-current="true" href="${escapeHtml(config.sitePath)}/apps/exalate-admin/connections">Apps</a></nav>`;
  const where =
    moduleType === 'jira:projectSettingsPage'
      ? `Project settings${typeof (args.extension.project as { key?: unknown } | undefined)?.key === 'string' ? ` · ${escapeHtml((args.extension.project as { key: string }).key)}` : ''}`
      : 'Settings · Apps';
  const bar = `<header class="host-bar" data-host-chrome>${home}${menus}<span class="host-bar__where">${where}</span>${personSwitcher(args)}</header>`;
  if (moduleType === 'jira:projectSettingsPage') {
    // Jira's project settings sidebar: its own sections as plain entries, the app's page among the apps, current.
    const title = escapeHtml(moduleInfo?.title ?? 'App');
    const own = ['Details', 'Access', 'Notifications', 'Issue types', 'Workflows'].map((name) => `<p class="host-nav__item">${name}</p>`).join('');
    const nav = `<nav class="host-nav" aria-label="Project settings" data-host-chrome><a class="host-nav__back" href="${escapeHtml(config.sitePath)}/">← Back to project</a><p class="host-nav__section">Project settings</p>${own}<p class="host-nav__section">Apps</p><ul><li><a class="host-nav__link" data-route="" aria-current="page" href="${escapeHtml(config.basePath)}">${title}</a></li></ul></nav>`;
    return { before: `${bar}<div class="host-layout">${nav}<main class="host-main">`, after: '</main></div>' };
  }
  if (subpages.length === 0) {
    return { before: `${bar}<main class="host-main host-main--full">`, after: '</main>' };
  }
  const links = subpages
    .map((page) => {
      const route = page.route.replace(/^\/+|\/+$/g, '');
      return `<li><a class="host-nav__link" data-route="${escapeHtml(route)}" href="${escapeHtml(`${config.basePath}/${route}`)}">${escapeHtml(page.title)}</a></li>`;
    })
    .join('');
  const heading = escapeHtml(moduleInfo?.title ?? 'App');
  const back = `<a class="host-nav__back" href="${escapeHtml(config.sitePath)}/">← Back to project</a>`;
  const nav = `<nav class="host-nav" aria-label="${heading}" data-host-chrome>${back}<p class="host-nav__section">Apps</p><p class="host-nav__item">Manage apps</p><p class="host-nav__title">${heading}</p><ul>${links}</ul></nav>`;
  return { before: `${bar}<div class="host-layout">${nav}<main class="host-main">`, after: '</main></div>' };
}

/** Who the page acts as, and a way to act as someone else (keeps the page's issue or project). */
function personSwitcher(args: HostPageArgs): string {
  const people = args.people ?? [];
  if (people.length === 0) return '';
  const kept = Object.entries({ issueKey: (args.extension.issue as { key?: string } | undefined)?.key, projectKey: (args.extension.project as { key?: string } | undefined)?.key })
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  const options = people
    .map((p) => `<option value="${escapeHtml(p.accountId)}"${p.accountId === args.accountId ? ' selected' : ''}>${escapeHtml(p.displayName)}</option>`)
    .join('');
  const me = people.find((p) => p.accountId === args.accountId)?.displayName ?? '';
  const initials = me.split(/\s+/).map((word) => word[0] ?? '').join('').slice(0, 2).toUpperCase();
  return `<form class="host-bar__person" method="get" data-testid="host-person"><span class="host-bar__avatar" aria-hidden="true">${escapeHtml(initials)}</span><label>Signed in as <select name="as" aria-label="Act as" onchange="this.form.submit()">${options}</select></label>${kept}<noscript><button type="submit">Switch</button></noscript></form>`;
}

/** Jira's mark, drawn (decorative: the link says "Jira"). */
const JIRA_MARK = '<svg class="host-bar__mark" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><rect width="24" height="24" rx="5" fill="#1868DB"/><path d="M17.6 5.5h-5.9a2.7 2.7 0 0 0 2.7 2.7h1.1v1a2.7 2.7 0 0 0 2.7 2.7V6.1a.6.6 0 0 0-.6-.6Z" fill="#fff"/><path d="M14.7 8.4H8.8a2.7 2.7 0 0 0 2.7 2.7h1.1v1.1a2.7 2.7 0 0 0 2.7 2.6V9a.6.6 0 0 0-.6-.6Z" fill="#fff" opacity=".8"/><path d="M11.8 11.3H5.9A2.7 2.7 0 0 0 8.6 14h1.1v1.1a2.7 2.7 0 0 0 2.7 2.6v-5.8a.6.6 0 0 0-.6-.6Z" fill="#fff" opacity=".6"/></svg>';

const CHROME_STYLE = `
[data-host-chrome]{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;font-size:14px;box-sizing:border-box}
.host-bar{display:flex;align-items:center;gap:16px;height:48px;padding:0 20px;border-bottom:1px solid #DCDFE4;background:#fff}
.host-bar__home{display:inline-flex;align-items:center;gap:8px;font-weight:600;color:#172B4D;text-decoration:none}
.host-bar__site{font-weight:400;color:#626F86}
.host-bar__menus{display:flex;gap:4px}
.host-bar__menus a{padding:6px 8px;border-radius:3px;color:#44546F;text-decoration:none;font-weight:500}
.host-bar__menus a:hover{background:#091E420F}
.host-bar__menus a[aria-current]{color:#0C66E4;box-shadow:inset 0 -3px 0 #0C66E4;border-radius:0}
.host-bar__avatar{display:inline-flex;align-items:center;justify-content:center;width:24px;height:24px;margin-right:8px;border-radius:50%;background:#1868DB;color:#fff;font-size:11px;font-weight:700;vertical-align:middle}
.host-nav__back{display:block;margin:0 8px 16px;color:#44546F;text-decoration:none}
.host-nav__item{margin:0 8px 8px;color:#44546F}
.host-bar__home:hover{text-decoration:underline}
.host-bar__where{color:#626F86}
.host-bar__person{margin-left:auto;color:#44546F}
.host-bar__person select{margin-left:6px;padding:4px;border:1px solid #DCDFE4;border-radius:3px;background:#fff;color:#172B4D}
.host-layout{display:flex;min-height:calc(100vh - 49px)}
.host-nav{width:240px;flex:none;padding:20px 12px;border-right:1px solid #DCDFE4;background:#F7F8F9}
.host-nav__section{margin:0 8px 4px;font-size:11px;font-weight:700;text-transform:uppercase;color:#626F86}
.host-nav__title{margin:0 8px 8px;font-weight:600;color:#172B4D}
.host-nav ul{list-style:none;margin:0;padding:0}
.host-nav__link{display:block;padding:8px;border-radius:3px;color:#44546F;text-decoration:none}
.host-nav__link:hover{background:#091E420F;color:#172B4D;text-decoration:none}
.host-nav__link[aria-current=page]{background:#E9F2FF;color:#0C66E4;font-weight:600}
.host-nav__link:focus-visible{outline:2px solid #388BFF;outline-offset:-2px}
.host-main{flex:1;min-width:0}
.host-flags{position:fixed;left:24px;bottom:24px;z-index:2147483000;display:flex;flex-direction:column-reverse;gap:8px;max-width:400px}
.host-flag{display:flex;gap:12px;align-items:flex-start;padding:16px;border-radius:4px;background:#fff;color:#172B4D;box-shadow:0 8px 12px #091E4226,0 0 1px #091E424F}
.host-flag__icon{width:20px;height:20px;flex:none;border-radius:50%}
.host-flag__icon--success{background:#22A06B}.host-flag__icon--info{background:#1D7AFC}.host-flag__icon--warning{background:#E2B203}.host-flag__icon--error{background:#C9372C}
.host-flag__text{flex:1}
.host-flag__title{margin:0;font-weight:600}
.host-flag__description{margin:4px 0 0;color:#44546F}
.host-flag__close{border:0;background:none;cursor:pointer;font-size:18px;line-height:1;color:#44546F;padding:0 4px}
`;

/** The bridge script on its own, e.g. to run it against a fake window in tests. */
export { bridgeScript };

/** The JSON the bridge script reads from `<script id="forge-host-config">`. */
export function hostConfig(args: HostPageArgs, options: HostPageOptions = {}): string {
  const moduleType = options.moduleType ?? uiModulesFromManifest().get(args.moduleKey)?.type ?? 'jira:adminPage';
  return scriptJson(buildConfig(args, options, moduleType));
}

function notBuiltPage(error: UiNotBuiltError): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Exalate: UI not built</title></head><body style="font-family:sans-serif;padding:24px"><h1>The app's UI is not built yet</h1><p>${escapeHtml(error.message)}</p></body></html>`;
}

export function renderHostPage(args: HostPageArgs, options: HostPageOptions = {}): string {
  let html: string;
  try {
    html = options.indexHtml ?? readUiIndexHtml();
  } catch (error) {
    if (error instanceof UiNotBuiltError) return notBuiltPage(error);
    throw error;
  }
  const moduleInfo = uiModulesFromManifest().get(args.moduleKey);
  const moduleType = options.moduleType ?? moduleInfo?.type ?? 'jira:adminPage';
  const config = buildConfig(args, options, moduleType);
  const uiBase = args.uiBase.endsWith('/') ? args.uiBase : `${args.uiBase}/`;

  // <base> first, so the bundle's relative URLs (./assets/…) load from uiBase;
  // then the bridge, before the bundle's module script.
  const head = [
    `<base href="${escapeHtml(uiBase)}">`,
    `<link rel="icon" href="icon.svg">`,
    `<style>${CHROME_STYLE}</style>`,
    `<script type="application/json" id="forge-host-config">${scriptJson(config)}</script>`,
    `<script>${inlineScript(bridgeScript())}</script>`,
  ].join('\n');
  const headOpen = /<head(\s[^>]*)?>/i.exec(html);
  html = headOpen
    ? `${html.slice(0, headOpen.index + headOpen[0].length)}\n${head}${html.slice(headOpen.index + headOpen[0].length)}`
    : `${head}\n${html}`;

  const subpages = options.subpages ?? moduleInfo?.pages ?? [];
  const chrome = renderChrome(args, config, moduleInfo, subpages, moduleType);
  const root = '<div id="root"></div>';
  if (chrome && html.includes(root)) html = html.replace(root, `${chrome.before}${root}${chrome.after}`);
  return html;
}
