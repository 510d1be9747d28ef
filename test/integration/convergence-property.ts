import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adf, connect, drain, jira, twoSites } from './helpers';
import { addRules, create, edit, exalate, history, read, transition, type Runtime, type Site } from './fields-support';

// Convergence as a property: after any sequence of edits on either side
// (summary, labels, priority, status, a select custom field, comments,
// components, fix versions, worklogs), with
// syncs in between or not (edits on both sides before a sync are concurrent),
// both sides end equal, or at the mapped equivalent (status To Do ↔ Open).
// The real engine and the emulator do the work: one runtime, a fresh issue per
// sequence. A second property adds issue links between two synced issues,
// added and deleted on either side.
//
// The sequences are split over a few test files (convergence-N.property.test.ts),
// each with its own runtime, so the test pool runs them side by side. Each shard
// has a fixed seed, so CI checks the same sequences every run; FC_RANDOM=1 draws
// fresh ones (the seed is printed on failure), FC_SEED and FC_PATH replay one.
// FC_RUNS and FC_LINK_RUNS set the totals over all shards.

export const SHARDS = 4;
const RUNS = Number(process.env.FC_RUNS ?? 1_000);
const LINK_RUNS = Number(process.env.FC_LINK_RUNS ?? 240);

const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const SEVERITIES = ['Critical', 'Major', 'Minor'];
const LABELS = ['api', 'ui', 'urgent'];
/** Made in both projects before the runs: names are what travels. */
const COMPONENTS = ['Frontend', 'Backend'];
const VERSIONS = ['1.0', '2.0'];
/** Blue's status names; green calls the first one Open. */
const STATUSES = ['To Do', 'In Progress', 'Done'];
const onGreen = (status: string) => (status === 'To Do' ? 'Open' : status);
const SEVERITY = { blue: 'customfield_10021', green: 'customfield_10031' } as const;

type Edit =
  | { kind: 'summary'; value: string }
  | { kind: 'labels'; value: string[] }
  | { kind: 'priority'; value: string }
  | { kind: 'status'; value: string }
  | { kind: 'severity'; value: string | null }
  | { kind: 'comment'; value: string }
  | { kind: 'components'; value: string[] }
  | { kind: 'fixVersions'; value: string[] }
  | { kind: 'worklog'; value: number };
type Step = { kind: 'sync' } | { kind: 'edit'; site: Site; edit: Edit };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('summary' as const), value: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,11}$/) }),
  fc.record({ kind: fc.constant('labels' as const), value: fc.subarray(LABELS) }),
  fc.record({ kind: fc.constant('priority' as const), value: fc.constantFrom(...PRIORITIES) }),
  fc.record({ kind: fc.constant('status' as const), value: fc.constantFrom(...STATUSES) }),
  fc.record({ kind: fc.constant('severity' as const), value: fc.option(fc.constantFrom(...SEVERITIES), { nil: null }) }),
  fc.record({ kind: fc.constant('comment' as const), value: fc.stringMatching(/^[a-z]{1,8}$/) }),
  fc.record({ kind: fc.constant('components' as const), value: fc.subarray(COMPONENTS) }),
  fc.record({ kind: fc.constant('fixVersions' as const), value: fc.subarray(VERSIONS) }),
  fc.record({ kind: fc.constant('worklog' as const), value: fc.integer({ min: 1, max: 8 }).map((h) => h * 900) }),
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'sync' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), site: fc.constantFrom<Site>('blue', 'green'), edit: editArb }) },
);

/** Link types both sites have. */
const LINK_TYPES = ['Blocks', 'Relates'];
type LinkStep =
  | { kind: 'sync' }
  | { kind: 'edit'; site: Site; edit: Edit }
  | { kind: 'link'; site: Site; type: string; fromFirst: boolean }
  | { kind: 'unlink'; site: Site; pick: number };
const linkStepArb: fc.Arbitrary<LinkStep> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'sync' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), site: fc.constantFrom<Site>('blue', 'green'), edit: editArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('link' as const), site: fc.constantFrom<Site>('blue', 'green'), type: fc.constantFrom(...LINK_TYPES), fromFirst: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unlink' as const), site: fc.constantFrom<Site>('blue', 'green'), pick: fc.nat(3) }) },
);

/** Shard `shard` (1 … SHARDS) of both properties: its share of the sequences, from its own seed. */
export function convergenceShard(shard: number): void {
  const runs = Math.ceil(RUNS / SHARDS);
  const linkRuns = Math.ceil(LINK_RUNS / SHARDS);
  const seeded = process.env.FC_SEED
    ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH }
    : process.env.FC_RANDOM
      ? {}
      : { seed: 20_261_204 + shard };

  let rt: Runtime;
  let blueConnectionId: string;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-04T09:00:00Z'));
    rt = await twoSites();
    for (const [site, project] of [['blue', 'UD'], ['green', 'SC']] as const) {
      for (const name of COMPONENTS) expect((await jira(rt, site, 'POST', '/component', { project, name })).status).toBe(201);
      for (const name of VERSIONS) expect((await jira(rt, site, 'POST', '/version', { project, name })).status).toBe(201);
    }
    const connection = await connect(rt);
    blueConnectionId = connection.blueConnectionId;
    for (const [site, connectionId, map] of [
      ['blue', connection.blueConnectionId, { Open: 'To Do' }],
      ['green', connection.greenConnectionId, { 'To Do': 'Open' }],
    ] as const) {
      await addRules(rt, site, connectionId, {
        outgoing: 'replica.customFields = { Severity: issue.customFields["Severity"] };',
        incoming: `
  var statusMap = ${JSON.stringify(map)};
  if (replica.status) issue.setStatus(statusMap[replica.status.name] ?? replica.status.name);
  issue.priority = nodeHelper.getPriority(replica.priority?.name) ?? issue.priority;
  issue.customFields["Severity"] = replica.customFields?.["Severity"];
  `,
      });
    }
  });
  afterAll(() => {
    rt?.close();
    vi.useRealTimers();
  });

  async function apply(site: Site, key: string, e: Edit) {
    switch (e.kind) {
      case 'summary':
        return edit(rt, site, key, { summary: e.value });
      case 'labels':
        return edit(rt, site, key, { labels: e.value });
      case 'priority':
        return edit(rt, site, key, { priority: { name: e.value } });
      case 'severity':
        return edit(rt, site, key, { [SEVERITY[site]]: e.value === null ? null : { value: e.value } });
      case 'components':
      case 'fixVersions':
        return edit(rt, site, key, { [e.kind]: e.value.map((name) => ({ name })) });
      case 'worklog': {
        const logged = await jira(rt, site, 'POST', `/issue/${key}/worklog`, { timeSpentSeconds: e.value, started: '2026-12-04T08:00:00.000+0000' });
        expect(logged.status).toBe(201);
        return;
      }
      case 'comment': {
        const added = await jira(rt, site, 'POST', `/issue/${key}/comment`, { body: adf(e.value) });
        expect(added.status).toBe(201);
        return;
      }
      case 'status': {
        const target = site === 'green' ? onGreen(e.value) : e.value;
        if ((await read(rt, site, key)).fields.status.name === target) return;
        return transition(rt, site, key, target);
      }
    }
  }

  /** What must agree, in blue's terms. */
  async function state(site: Site, key: string) {
    const issue = await read(rt, site, key);
    const f = issue.fields;
    // A copy starts with "Author, on Site:"; what was written is the last text.
    const text = (body: unknown) => [...JSON.stringify(body).matchAll(/"text":"([^"]*)"/g)].at(-1)?.[1] ?? '';
    return {
      summary: f.summary,
      labels: [...(f.labels ?? [])].sort(),
      priority: f.priority?.name ?? null,
      status: f.status.name === 'Open' ? 'To Do' : f.status.name,
      severity: f[SEVERITY[site]]?.value ?? null,
      comments: (f.comment?.comments ?? []).map((c: { body: unknown }) => text(c.body)).sort(),
      components: (f.components ?? []).map((c: { name: string }) => c.name).sort(),
      fixVersions: (f.fixVersions ?? []).map((v: { name: string }) => v.name).sort(),
      worklogs: (f.worklog?.worklogs ?? []).map((w: { timeSpentSeconds: number }) => w.timeSpentSeconds).sort(),
    };
  }

  type IssueLink = { id: string; type: { name: string }; inwardIssue?: { key: string }; outwardIssue?: { key: string } };
  const linksOf = async (site: Site, key: string) => ((await read(rt, site, key)).fields.issuelinks ?? []) as IssueLink[];

  /** The first issue's links, other ends named by their place in the pair ("first", "second") or their key. */
  async function linkState(site: Site, keys: [string, string]) {
    const place = (key: string) => (key === keys[0] ? 'first' : key === keys[1] ? 'second' : key);
    return (await linksOf(site, keys[0])).map((l) => `${l.type.name} ${l.outwardIssue ? `→ ${place(l.outwardIssue.key)}` : `← ${place(l.inwardIssue!.key)}`}`).sort();
  }

  async function applyLinkStep(step: Exclude<LinkStep, { kind: 'sync' | 'edit' }>, keys: [string, string]) {
    if (step.kind === 'link') {
      const [from, to] = step.fromFirst ? keys : [keys[1], keys[0]];
      const made = await jira(rt, step.site, 'POST', '/issueLink', { type: { name: step.type }, inwardIssue: { key: from }, outwardIssue: { key: to } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return;
    }
    const links = await linksOf(step.site, keys[0]);
    if (!links.length) return;
    const gone = await jira(rt, step.site, 'DELETE', `/issueLink/${links[step.pick % links.length]!.id}`);
    expect(gone.status).toBe(204);
  }

  describe(`convergence, shard ${shard}`, () => {
    it(`holds for random edit sequences on both sides, synced in between or concurrently (${runs} sequences, shard ${shard} of ${SHARDS})`, async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
          const issue = await create(rt, 'blue', { project: { key: 'UD' }, summary: `Sequence ${++n}`, priority: { name: 'Medium' } });
          const twin = await exalate(rt, blueConnectionId, issue.key);
          const keys = { blue: issue.key, green: twin.remoteKey };
          for (const step of steps) {
            if (step.kind === 'sync') await drain(rt);
            else await apply(step.site, keys[step.site], step.edit);
          }
          await drain(rt);
          const [blue, green] = [await state('blue', keys.blue), await state('green', keys.green)];
          if (process.env.FC_DEBUG && JSON.stringify(blue) !== JSON.stringify(green)) {
            for (const site of ['blue', 'green'] as const) console.log(site, JSON.stringify(await history(rt, site, keys[site]), null, 1));
          }
          expect(green).toEqual(blue);
        }),
        {
          numRuns: runs,
          endOnFailure: true,
          ...seeded,
        },
      );
    }, 3_600_000);

    it(`holds with issue links between two synced issues added and deleted on either side (${linkRuns} sequences, shard ${shard} of ${SHARDS})`, async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(linkStepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
          const first = await create(rt, 'blue', { project: { key: 'UD' }, summary: `Linked ${++n} a`, priority: { name: 'Medium' } });
          const second = await create(rt, 'blue', { project: { key: 'UD' }, summary: `Linked ${n} b`, priority: { name: 'Medium' } });
          const twins = [await exalate(rt, blueConnectionId, first.key), await exalate(rt, blueConnectionId, second.key)];
          const keys: Record<Site, [string, string]> = { blue: [first.key, second.key], green: [twins[0]!.remoteKey, twins[1]!.remoteKey] };
          for (const step of steps) {
            if (step.kind === 'sync') await drain(rt);
            else if (step.kind === 'edit') await apply(step.site, keys[step.site][0], step.edit);
            else await applyLinkStep(step, keys[step.site]);
          }
          await drain(rt);
          const [blue, green] = [
            { ...(await state('blue', keys.blue[0])), links: await linkState('blue', keys.blue) },
            { ...(await state('green', keys.green[0])), links: await linkState('green', keys.green) },
          ];
          if (process.env.FC_DEBUG && JSON.stringify(blue) !== JSON.stringify(green)) {
            for (const site of ['blue', 'green'] as const) for (const key of keys[site]) console.log(site, key, JSON.stringify(await history(rt, site, key), null, 1));
          }
          expect(green).toEqual(blue);
        }),
        {
          numRuns: linkRuns,
          endOnFailure: true,
          ...seeded,
        },
      );
    }, 3_600_000);
  });
}
