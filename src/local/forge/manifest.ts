import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

// The local runtime wires handlers from manifest.yml, so the manifest stays
// the single map of the app on Forge and on a laptop.

const FunctionRef = z.object({ key: z.string(), handler: z.string(), timeoutSeconds: z.number().int().positive().optional() });
/** An egress entry: the deprecated plain string or the `{address}` object Forge CLI 13.3+ writes. */
const EgressEntry = z.union([z.string(), z.object({ address: z.string() })]);
const Permissions = z
  .object({
    scopes: z.array(z.string()).default([]),
    external: z
      .looseObject({ fetch: z.looseObject({ backend: z.array(EgressEntry).default([]) }).optional() })
      .default({}),
  })
  .default({ scopes: [], external: {} });
const Manifest = z.object({
  app: z.object({ id: z.string() }),
  permissions: Permissions,
  modules: z.object({
    function: z.array(FunctionRef),
    trigger: z
      .array(z.object({ key: z.string(), function: z.string(), events: z.array(z.string()), filter: z.object({ ignoreSelf: z.boolean().optional() }).optional() }))
      .default([]),
    scheduledTrigger: z.array(z.object({ key: z.string(), function: z.string(), interval: z.string() })).default([]),
    webtrigger: z.array(z.object({ key: z.string(), function: z.string() })).default([]),
    consumer: z.array(z.object({ key: z.string(), queue: z.string(), function: z.string() })).default([]),
    preUninstall: z.array(z.object({ key: z.string(), function: z.string() })).default([]),
    'jira:adminPage': z.array(z.object({ key: z.string(), resolver: z.object({ function: z.string() }).optional() })).default([]),
    'jira:projectSettingsPage': z.array(z.object({ key: z.string(), resolver: z.object({ function: z.string() }).optional() })).default([]),
    'jira:issuePanel': z.array(z.object({ key: z.string(), resolver: z.object({ function: z.string() }).optional() })).default([]),
  }),
});

export interface AppManifest {
  appId: string;
  /** Function key → exported handler name in src/index.ts (`index.resolver` → `resolver`). */
  handlers: Record<string, string>;
  /** Function key → its declared `timeoutSeconds`, when it declares one. */
  timeoutSeconds: Record<string, number | undefined>;
  /** `permissions` as Forge grants them to the installed app (scopes, and `external` with the egress list). */
  permissions: { scopes: string[]; external: Record<string, unknown> };
  /** `permissions.external.fetch.backend` as addresses: the only hosts an invocation may fetch from. */
  egress: string[];
  triggers: { key: string; function: string; events: string[]; ignoreSelf: boolean }[];
  scheduledTriggers: { key: string; function: string; interval: string }[];
  webTriggers: { key: string; function: string }[];
  consumers: { key: string; queue: string; function: string }[];
  /** Functions Forge runs when the app is uninstalled from a site. */
  preUninstall: { key: string; function: string }[];
  /** UI module key → the function behind its resolver. */
  uiModules: Record<string, string | undefined>;
}

export function readManifest(path: string): AppManifest {
  const raw = Manifest.parse(parse(readFileSync(path, 'utf8')));
  const m = raw.modules;
  const handlers: Record<string, string> = {};
  const timeoutSeconds: Record<string, number | undefined> = {};
  for (const f of m.function) {
    timeoutSeconds[f.key] = f.timeoutSeconds;
    const [file, exportName] = f.handler.split('.');
    if (file !== 'index' || !exportName) throw new Error(`Function ${f.key}: the local runtime loads handlers from src/index.ts, not ${f.handler}`);
    handlers[f.key] = exportName;
  }
  const uiModules: Record<string, string | undefined> = {};
  for (const ui of [...m['jira:adminPage'], ...m['jira:projectSettingsPage'], ...m['jira:issuePanel']]) uiModules[ui.key] = ui.resolver?.function;
  return {
    appId: raw.app.id,
    handlers,
    timeoutSeconds,
    permissions: { scopes: raw.permissions.scopes, external: raw.permissions.external },
    egress: (raw.permissions.external.fetch?.backend ?? []).map((e) => (typeof e === 'string' ? e : e.address)),
    triggers: m.trigger.map((t) => ({ key: t.key, function: t.function, events: t.events, ignoreSelf: t.filter?.ignoreSelf ?? false })),
    scheduledTriggers: m.scheduledTrigger,
    webTriggers: m.webtrigger,
    consumers: m.consumer,
    preUninstall: m.preUninstall,
    uiModules,
  };
}
