// Every custom field type an admin syncs: values taken and answered in Jira's
// shapes, refused with Jira's messages, recorded in the history, found by
// JQL; and the fields' contexts and options as the contract describes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/local/contracts';
import { adf, openHarness, type Harness } from './harness';

const AVA = '712020:b1e00000-1111-4000-8000-000000000001';
const BEN = '712020:b1e00000-2222-4000-8000-000000000002';
const DAN = '712020:b1e00000-4444-4000-8000-000000000004';
const SAM = '712020:5a3e0c1d-7b2f-4e6a-9c1d-2f4b6d8e0a11';
const as = (accountId: string): { as: Caller } => ({ as: { kind: 'user', accountId } });

// Blue's ids; green has the same names under other ids.
const F = {
  customer: 'customfield_10020', severity: 'customfield_10021', points: 'customfield_10022', reviewer: 'customfield_10023',
  tags: 'customfield_10024', notes: 'customfield_10025', target: 'customfield_10026', deployed: 'customfield_10027',
  link: 'customfield_10028', platforms: 'customfield_10029', region: 'customfield_10040', checks: 'customfield_10041',
  approvers: 'customfield_10042',
};

describe('custom fields of every type', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('blue');
  });
  afterAll(() => h.close());

  const create = (project: string, fields: Record<string, unknown>) =>
    h.call('POST', '/rest/api/3/issue', { body: { fields: { project: { key: project }, issuetype: { name: 'Task' }, summary: 'Fields', ...fields } } });
  const read = async (key: string) => (await h.call('GET', `/rest/api/3/issue/${key}`)).body.fields;

  it('takes and answers each type in its Jira shape', async () => {
    const created = await create('UD', {
      [F.customer]: 'ACME', [F.notes]: adf('Rich'), [F.points]: 3.5, [F.target]: '2026-12-24', [F.deployed]: '2026-11-23T14:30:00.000+0200',
      [F.link]: 'https://example.com/spec', [F.severity]: { value: 'Major' }, [F.platforms]: [{ value: 'iOS' }, { id: '10112' }],
      [F.region]: { value: 'Europe', child: { value: 'France' } }, [F.checks]: [{ value: 'Security' }], [F.tags]: ['b', 'a'],
      [F.reviewer]: { accountId: DAN }, [F.approvers]: [{ accountId: DAN }, { accountId: SAM }],
    });
    expect(created.status).toBe(201);
    const fields = await read(created.body.key);
    expect(fields[F.customer]).toBe('ACME');
    expect(fields[F.notes]).toEqual(adf('Rich'));
    expect(fields[F.points]).toBe(3.5);
    expect(fields[F.target]).toBe('2026-12-24');
    expect(fields[F.deployed]).toBe('2026-11-23T12:30:00.000+0000');
    expect(fields[F.link]).toBe('https://example.com/spec');
    expect(fields[F.severity]).toEqual({ self: 'http://jira.test/blue/rest/api/3/customFieldOption/10101', value: 'Major', id: '10101' });
    expect(fields[F.platforms].map((o: { value: string }) => o.value)).toEqual(['iOS', 'Android']);
    expect(fields[F.region]).toMatchObject({ value: 'Europe', id: '10120', child: { value: 'France', id: '10122' } });
    expect(fields[F.checks]).toEqual([{ self: 'http://jira.test/blue/rest/api/3/customFieldOption/10131', value: 'Security', id: '10131' }]);
    expect(fields[F.tags]).toEqual(['a', 'b']);
    expect(fields[F.reviewer]).toMatchObject({ accountId: DAN, displayName: 'Dan Evans' });
    expect(fields[F.approvers].map((u: { displayName: string }) => u.displayName)).toEqual(['Dan Evans', 'Sam Rivera']);
  });

  it('adds to and removes from multi-valued fields, and clears any field with null', async () => {
    const created = await create('UD', { [F.platforms]: [{ value: 'Web' }], [F.approvers]: [{ accountId: DAN }] });
    const key = created.body.key;
    const edited = await h.call('PUT', `/rest/api/3/issue/${key}`, {
      body: {
        update: {
          [F.platforms]: [{ add: { value: 'Android' } }, { remove: { value: 'Web' } }],
          [F.approvers]: [{ add: { accountId: SAM } }],
          [F.checks]: [{ set: [{ value: 'Accessibility' }, { value: 'Performance' }] }],
        },
      },
    });
    expect(edited.status).toBe(204);
    let fields = await read(key);
    expect(fields[F.platforms].map((o: { value: string }) => o.value)).toEqual(['Android']);
    expect(fields[F.approvers].map((u: { accountId: string }) => u.accountId)).toEqual([DAN, SAM]);
    expect(fields[F.checks].map((o: { value: string }) => o.value)).toEqual(['Accessibility', 'Performance']);
    await h.call('PUT', `/rest/api/3/issue/${key}`, { body: { fields: { [F.platforms]: null, [F.approvers]: [], [F.region]: null } } });
    fields = await read(key);
    expect([fields[F.platforms], fields[F.approvers], fields[F.region]]).toEqual([null, null, null]);
  });

  it("refuses invalid values with Jira's messages and stores nothing", async () => {
    const refused = await create('UD', {
      [F.severity]: { value: 'Blocker' }, [F.platforms]: [{ id: '99999' }], [F.region]: { value: 'Europe', child: { value: 'USA' } },
      [F.checks]: [{ value: 'Nope' }], [F.reviewer]: { accountId: 'nobody' }, [F.approvers]: [{ accountId: DAN }, { accountId: 'ghost' }],
      [F.points]: 'five', [F.target]: '2026-02-30', [F.deployed]: '2026-11-23T14:30:00+02:00', [F.link]: 'not a url',
      [F.customer]: 42,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      errorMessages: [],
      errors: {
        [F.severity]: "Option value 'Blocker' is not valid",
        [F.platforms]: "Option id '99999' is not valid",
        [F.region]: "Option value 'USA' is not a valid child of option 'Europe'",
        [F.checks]: "Option value 'Nope' is not valid",
        [F.reviewer]: 'Specify a valid value for Reviewer',
        [F.approvers]: 'Specify a valid value for Approvers',
        [F.points]: 'Operation value must be a number',
        [F.target]: 'Error parsing date string: 2026-02-30',
        [F.deployed]: 'Error parsing time: 2026-11-23T14:30:00+02:00',
        [F.link]: 'Not a valid URL',
        [F.customer]: 'Operation value must be a string',
      },
    });
    const count = await h.call('POST', '/rest/api/3/search/approximate-count', { body: { jql: 'project = UD AND summary ~ Fields AND Severity = Blocker' }, offContract: true });
    expect(count.status).toBe(400);
  });

  it("offers each project its context's options: the website has its own platforms", async () => {
    expect((await create('WEB', { issuetype: { name: 'Story' }, [F.platforms]: [{ value: 'Web' }] })).body.errors)
      .toEqual({ [F.platforms]: "Option value 'Web' is not valid" });
    const web = await create('WEB', { issuetype: { name: 'Story' }, [F.platforms]: [{ value: 'Desktop' }] });
    expect(web.status).toBe(201);
    expect((await create('UD', { [F.platforms]: [{ value: 'Desktop' }] })).body.errors).toEqual({ [F.platforms]: "Option value 'Desktop' is not valid" });
    const meta = (await h.call('GET', '/rest/api/3/issue/createmeta/WEB/issuetypes/10003')).body.fields;
    const platforms = meta.find((f: { fieldId: string }) => f.fieldId === F.platforms);
    expect(platforms).toMatchObject({ schema: { type: 'array', items: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:multiselect' }, operations: ['add', 'set', 'remove'] });
    expect(platforms.allowedValues.map((o: { value: string }) => o.value)).toEqual(['Desktop', 'Mobile']);
    const region = meta.find((f: { fieldId: string }) => f.fieldId === F.region);
    expect(region.schema.type).toBe('option-with-child');
    expect(region.allowedValues[0]).toMatchObject({ value: 'Europe', children: [{ value: 'Germany' }, { value: 'France' }] });
  });

  it('records changes in the history as Jira words them', async () => {
    const created = await create('UD', { [F.region]: { value: 'Asia', child: { value: 'Japan' } } });
    await h.call('PUT', `/rest/api/3/issue/${created.body.key}`, {
      body: { fields: { [F.region]: { value: 'Americas' }, [F.platforms]: [{ value: 'Web' }, { value: 'iOS' }], [F.approvers]: [{ accountId: DAN }] } },
    });
    const items = (await h.call('GET', `/rest/api/3/issue/${created.body.key}/changelog`)).body.values.at(-1).items;
    expect(items).toEqual(expect.arrayContaining([
      { field: 'Region', fieldId: F.region, fieldtype: 'custom', fromString: 'Parent values: Asia(10126)Level 1 values: Japan(10127)', toString: 'Parent values: Americas(10123)' },
      { field: 'Platforms', fieldId: F.platforms, fieldtype: 'custom', toString: 'Web,iOS' },
      { field: 'Approvers', fieldId: F.approvers, fieldtype: 'custom', to: `[${DAN}]`, toString: '[Dan Evans]' },
    ]));
  });

  it('finds issues by every type in JQL', async () => {
    await create('UD', {
      summary: 'Findable', [F.platforms]: [{ value: 'Android' }], [F.region]: { value: 'Asia', child: { value: 'Japan' } },
      [F.approvers]: [{ accountId: SAM }], [F.target]: '2027-01-15', [F.link]: 'https://example.com/findable', [F.checks]: [{ value: 'Performance' }],
      [F.deployed]: '2027-01-01T10:00:00.000+0000',
    });
    const keys = async (jql: string) =>
      (await h.call('POST', '/rest/api/3/search/jql', { body: { jql: `project = UD AND summary ~ Findable AND ${jql}`, fields: ['summary'] } })).body.issues.length;
    for (const jql of [
      'Platforms = Android', 'Region = Asia', 'Region = Japan', `Approvers = "${SAM}"`, '"Target date" > 2027-01-01',
      '"Design link" is not EMPTY', '"Review checks" in (Performance)', 'cf[10027] >= "2027-01-01"',
    ]) {
      expect(await keys(jql), jql).toBe(1);
    }
    const unknown = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'Platforms = Linux' }, offContract: true });
    expect(unknown.body.errorMessages).toEqual(["The value 'Linux' does not exist for the field 'Platforms'."]);
  });
});

describe('fields, contexts and options', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('blue');
  });
  afterAll(() => h.close());
  const admin = as(AVA);

  it('lists fields in pages, with each custom type named', async () => {
    const custom = await h.call('GET', '/rest/api/3/field/search?type=custom&maxResults=50&expand=key');
    expect(custom.body.total).toBe(13);
    expect(custom.body.values.find((f: { id: string }) => f.id === F.region)).toMatchObject({
      key: F.region, name: 'Region', typeDisplayName: 'Select List (cascading)',
      searcherKey: 'com.atlassian.jira.plugin.system.customfieldtypes:cascadingselectsearcher',
      schema: { type: 'option-with-child', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:cascadingselect', customId: 10040 },
    });
    const page = await h.call('GET', '/rest/api/3/field/search?maxResults=10');
    expect(page.body.nextPage).toBe('http://jira.test/blue/rest/api/3/field/search?maxResults=10&startAt=10');
    expect((await h.call('GET', '/rest/api/3/field/search?query=approv')).body.values.map((f: { name: string }) => f.name)).toEqual(['Approvers']);
    const all = (await h.call('GET', '/rest/api/3/field')).body;
    for (const id of ['components', 'fixVersions', 'versions', 'environment', 'timetracking', 'worklog', 'watches', 'votes']) {
      expect(all.some((f: { id: string }) => f.id === id), id).toBe(true);
    }
  });

  it('answers contexts and options to Jira admins only', async () => {
    const contexts = await h.call('GET', `/rest/api/3/field/${F.platforms}/context`, admin);
    expect(contexts.body.values).toEqual([
      { id: '20029', name: 'Default Configuration Scheme for Platforms', description: '', isGlobalContext: true, isAnyIssueType: true },
      { id: '20129', name: 'Platforms of the website', description: '', isGlobalContext: false, isAnyIssueType: true },
    ]);
    expect((await h.call('GET', `/rest/api/3/field/${F.platforms}/context?isGlobalContext=false`, admin)).body.values.map((c: { id: string }) => c.id)).toEqual(['20129']);
    expect((await h.call('GET', `/rest/api/3/field/${F.platforms}/context`, as(DAN))).status).toBe(403);
    expect((await h.call('GET', '/rest/api/3/field/customfield_99999/context', admin)).status).toBe(404);
    const options = await h.call('GET', `/rest/api/3/field/${F.region}/context/20040/option`, admin);
    expect(options.body.values.slice(0, 4)).toEqual([
      { id: '10120', value: 'Europe', disabled: false }, { id: '10123', value: 'Americas', disabled: false },
      { id: '10126', value: 'Asia', disabled: false }, { id: '10121', value: 'Germany', optionId: '10120', disabled: false },
    ]);
    expect((await h.call('GET', `/rest/api/3/field/${F.region}/context/20040/option?onlyOptions=true`, admin)).body.total).toBe(3);
    expect((await h.call('GET', `/rest/api/3/field/${F.region}/context/20029/option`, admin)).status).toBe(404);
    expect((await h.call('GET', '/rest/api/3/customFieldOption/10121', as(BEN))).body).toEqual({
      self: 'http://jira.test/blue/rest/api/3/customFieldOption/10121', value: 'Germany',
    });
    expect((await h.call('GET', '/rest/api/3/customFieldOption/10113', as(BEN))).status).toBe(404);
  });

  it('creates, renames, disables and deletes options, and issues follow', async () => {
    const path = `/rest/api/3/field/${F.region}/context/20040/option`;
    const created = await h.call('POST', path, { body: { options: [{ value: 'Oceania' }] }, ...admin });
    const oceania = created.body.options[0].id;
    const child = await h.call('POST', path, { body: { options: [{ value: 'Australia', optionId: oceania }] }, ...admin });
    expect(child.body.options).toEqual([{ id: child.body.options[0].id, value: 'Australia', optionId: oceania, disabled: false }]);
    expect((await h.call('POST', path, { body: { options: [{ value: 'europe' }] }, ...admin })).status).toBe(400);
    expect((await h.call('POST', `/rest/api/3/field/${F.customer}/context/20020/option`, { body: { options: [{ value: 'x' }] }, ...admin })).status).toBe(400);
    expect((await h.call('POST', path, { body: { options: [{ value: 'x' }] }, ...as(DAN) })).status).toBe(403);

    const issue = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'Down under', [F.region]: { value: 'Oceania', child: { value: 'Australia' } } } },
    });
    const renamed = await h.call('PUT', path, { body: { options: [{ id: oceania, value: 'Pacific' }, { id: '10120', value: 'Europe' }] }, ...admin });
    expect(renamed.body.options).toEqual([{ id: oceania, value: 'Pacific', disabled: false }]);
    expect((await h.call('GET', `/rest/api/3/issue/${issue.body.key}?fields=${F.region}`)).body.fields[F.region].value).toBe('Pacific');
    const found = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: 'Region = Pacific', fields: ['summary'] } });
    expect(found.body.issues.map((i: { key: string }) => i.key)).toEqual([issue.body.key]);

    expect((await h.call('PUT', path, { body: { options: [{ id: '10123', disabled: true }] }, ...admin })).body.options[0].disabled).toBe(true);
    const disabled = await h.call('POST', '/rest/api/3/issue', {
      body: { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'x', [F.region]: { value: 'Americas' } } },
    });
    expect(disabled.body.errors[F.region]).toBe("Option value 'Americas' is not valid");
    expect((await h.call('PUT', path, { body: { options: [{ id: '424242', value: 'y' }] }, ...admin })).status).toBe(404);

    expect((await h.call('DELETE', `${path}/${oceania}`, admin)).status).toBe(400);
    expect((await h.call('DELETE', `${path}/${child.body.options[0].id}`, admin)).status).toBe(204);
    expect((await h.call('GET', `/rest/api/3/issue/${issue.body.key}?fields=${F.region}`)).body.fields[F.region]).toEqual({
      self: `http://jira.test/blue/rest/api/3/customFieldOption/${oceania}`, value: 'Pacific', id: oceania,
    });
    expect((await h.call('DELETE', `${path}/${oceania}`, admin)).status).toBe(204);
    expect((await h.call('GET', `/rest/api/3/issue/${issue.body.key}?fields=${F.region}`)).body.fields[F.region]).toBeNull();
  });
});

describe('the same fields on green, under their own ids', () => {
  it('names every field as blue does', async () => {
    const blue = await openHarness('blue');
    const green = await openHarness('green');
    try {
      const names = async (h: Harness) =>
        (await h.call('GET', '/rest/api/3/field/search?type=custom')).body.values.map((f: { id: string; name: string; typeDisplayName: string }) => [f.name, f.typeDisplayName, f.id]);
      const onBlue = await names(blue);
      const onGreen = await names(green);
      expect(onGreen.map(([name, type]: string[]) => `${name}:${type}`)).toEqual(onBlue.map(([name, type]: string[]) => `${name}:${type}`));
      expect(onGreen.some(([, , id]: string[], i: number) => id === onBlue[i][2])).toBe(false);
    } finally {
      blue.close();
      green.close();
    }
  });
});
