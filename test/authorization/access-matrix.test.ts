import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MODULE_KEYS, PERMISSION_OF, type AccessRule, type ModuleKey } from '../../src/contract/access';
import { RESOLVER_KEYS, resolverContract } from '../../src/contract/resolvers';
import { resolverHandlers } from '../../src/app';
import { readManifest } from '../../src/local/forge/manifest';
import { jira, twoSites, withClockMoving } from '../integration/helpers';

// Every resolver × every UI module × every role, generated from the contract:
// a new resolver is in the matrix the moment it is declared. For each cell the
// expected answer follows from the rule the contract states and from what Jira
// says the person holds (asked as them); a refusal must also leave storage as
// it was. Empty payloads: a call that gets past authorization stops at input
// validation (or answers a read), so no cell changes anything it may not.

const PEOPLE = {
  siteAdmin: '712020:b1e00000-1111-4000-8000-000000000001', // Ava Blue
  projectAdmin: '712020:b1e00000-4444-4000-8000-000000000004', // Dan Evans, administers UD
  plainUser: '712020:b1e00000-2222-4000-8000-000000000002', // Ben Carter: a developer in UD, cannot see TEST
  reader: '712020:b1e00000-3333-4000-8000-000000000003', // Chloe Dunn: may browse TEST but not edit it
} as const;
type Role = keyof typeof PEOPLE;

let rt: Awaited<ReturnType<typeof twoSites>>;
let issueKey: string;
const held = new Map<string, boolean>();

/** What Jira says `role` holds for `rule`, asked as that person through the REST API. */
async function holds(role: Role, rule: AccessRule): Promise<boolean> {
  const cacheKey = `${role}:${rule}`;
  const known = held.get(cacheKey);
  if (known !== undefined) return known;
  const where = rule === 'projectAdmin' ? '&projectKey=UD' : rule === 'issueBrowse' || rule === 'issueEdit' ? `&issueKey=${issueKey}` : '';
  const permissions = rule === 'projectAdmin' ? 'ADMINISTER_PROJECTS,ADMINISTER' : PERMISSION_OF[rule];
  const answer = await jira(rt, 'blue', 'GET', `/mypermissions?permissions=${permissions}${where}`, undefined, { authorization: rt.site('blue').credentialsFor(PEOPLE[role])! });
  const perms = (answer.body?.permissions ?? {}) as Record<string, { havePermission: boolean }>;
  const result = answer.status === 200 && Object.values(perms).some((p) => p.havePermission);
  held.set(cacheKey, result);
  return result;
}

const extensionFor = (moduleKey: ModuleKey) =>
  moduleKey === 'exalate-project-settings' ? { project: { key: 'UD' } } : moduleKey === 'exalate-issue-panel' ? { issue: { key: issueKey } } : {};

/** A digest of everything the app has stored on a site: a refused call must not change it. */
function storageDigest(site: string): string {
  const db = new Database(join(rt.dataDir, 'forge.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT space, key, value FROM kvs WHERE installation = ? ORDER BY space, key').all(`local-${site}`) as { space: string; key: string; value: string }[];
    return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  } finally {
    db.close();
  }
}

async function call(key: string, moduleKey: ModuleKey, role: Role) {
  for (;;) {
    // A resolver whose Jira call meets the burst limit waits it out on the runtime's clock (src/forge/jira-patience.ts): moved for it.
    const response = await withClockMoving(
      rt,
      rt.fetch('/blue/bridge/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: rt.site('blue').credentialsFor(PEOPLE[role])! },
        body: JSON.stringify({ key, payload: {}, context: { moduleKey, extension: extensionFor(moduleKey) } }),
      }),
    );
    const body = (await response.json()) as { error?: string; kind?: string; details?: { permission?: string } };
    // The matrix fires hundreds of calls at once, over Forge's user-led invocation rate: as a person would,
    // wait what the platform asks (on the fake clock) and call again. The rule under test decides the rest.
    if (response.status === 429) {
      vi.setSystemTime(Date.now() + Number(response.headers.get('retry-after') ?? 1) * 1_000);
      continue;
    }
    return { status: response.status, body };
  }
}

const isAuthorizationRefusal = (answer: Awaited<ReturnType<typeof call>>) =>
  answer.status === 403 && (answer.body.details?.permission !== undefined || /cannot be called from/.test(answer.body.error ?? ''));

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  rt = await twoSites();
  // The issue panel is open on a TEST issue: one role may edit it, one only browse it, one not even see it.
  const found = await jira<{ issues: { key: string }[] }>(rt, 'blue', 'POST', '/search/jql', { jql: 'project = TEST ORDER BY key', maxResults: 1, fields: ['summary'] });
  issueKey = found.body.issues[0]!.key;
  // Make the instance identity exist, so the first allowed read does not count as a write in the digest.
  await call('getInstance', 'exalate-admin', 'siteAdmin');
});

afterAll(() => {
  rt?.close();
  vi.useRealTimers();
});

describe('the resolver contract', () => {
  it('gives every resolver at least one module and a rule there, and the app one handler per resolver', () => {
    for (const key of RESOLVER_KEYS) {
      const rules = Object.entries(resolverContract[key].access);
      expect(rules.length, key).toBeGreaterThan(0);
      for (const [moduleKey, rule] of rules) {
        expect(MODULE_KEYS, `${key} names an unknown module`).toContain(moduleKey);
        expect(Object.keys(PERMISSION_OF), `${key} has an unknown rule`).toContain(rule);
      }
    }
    expect(Object.keys(resolverHandlers).sort()).toEqual([...RESOLVER_KEYS].sort());
  });

  it('names exactly the UI modules of the manifest', () => {
    const manifest = readManifest(join(import.meta.dirname, '../../manifest.yml'));
    expect(Object.keys(manifest.uiModules).sort()).toEqual([...MODULE_KEYS].sort());
  });
});

describe('the access matrix: every resolver × module × role', () => {
  for (const key of RESOLVER_KEYS) {
    it(`${key}`, async () => {
      for (const moduleKey of MODULE_KEYS) {
        const rule = (resolverContract[key].access as Partial<Record<ModuleKey, AccessRule>>)[moduleKey];
        for (const role of Object.keys(PEOPLE) as Role[]) {
          const where = `${key} from ${moduleKey} as ${role}`;
          const before = storageDigest('blue');
          const answer = await call(key, moduleKey, role);
          if (!rule) {
            expect(answer.status, where).toBe(403);
            expect(answer.body.error, where).toMatch(new RegExp(`"${key}" cannot be called from the module ${moduleKey}`));
          } else if (await holds(role, rule)) {
            expect(isAuthorizationRefusal(answer), `${where}: ${answer.status} ${answer.body.error}`).toBe(false);
            continue;
          } else {
            expect(answer.status, where).toBe(403);
            expect(answer.body.details?.permission, where).toBe(PERMISSION_OF[rule]);
            expect(answer.body.error, where).toContain(`(${PERMISSION_OF[rule]})`);
          }
          expect(storageDigest('blue'), `${where} wrote something`).toBe(before);
        }
      }
    });
  }
});
