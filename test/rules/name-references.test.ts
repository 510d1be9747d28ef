import { describe, expect, it } from 'vitest';
import { defaultIncomingScript, defaultOutgoingScript } from '../../src/rules';
import { basicIncomingScript } from '../../src/rules/basic';
import { mappingNameReferences, scriptNameReferences } from '../../src/rules/name-references';
import { checkNames, closest, type SiteNames } from '../../src/rules/name-check';
import { defaultVisualMapping, type VisualMapping } from '../../src/domain/visual-mapping';

const refs = (source: string, direction: 'outgoing' | 'incoming' = 'incoming') =>
  scriptNameReferences(source, direction).map(({ line, kind, side, name }) => ({ line, kind, side, name }));

describe('names a script refers to', () => {
  it('issue.projectKey and issue.typeName, with their lines, through ?? fallbacks', () => {
    expect(refs('if (firstSync) {\n  issue.projectKey = "SC";\n  issue.typeName = nodeHelper.getIssueType(replica.type?.name)?.name ?? "Task";\n}')).toEqual([
      { line: 2, kind: 'project', side: 'local', name: 'SC' },
      { line: 3, kind: 'issueType', side: 'local', name: 'Task' },
    ]);
  });

  it('issue.setStatus with a literal, and with a map: its values are local statuses, its keys the partner’s', () => {
    const script = [
      'var statusMap = {',
      '  "To Do": "Open",',
      '  Done: "Closed",',
      '};',
      'issue.setStatus(statusMap[replica.status.name] ?? "Backlog");',
      'issue.setStatus("In Review");',
    ].join('\n');
    expect(refs(script)).toEqual(
      expect.arrayContaining([
        { line: 5, kind: 'status', side: 'local', name: 'Backlog' },
        { line: 2, kind: 'status', side: 'partner', name: 'To Do' },
        { line: 2, kind: 'status', side: 'local', name: 'Open' },
        { line: 3, kind: 'status', side: 'partner', name: 'Done' },
        { line: 3, kind: 'status', side: 'local', name: 'Closed' },
        { line: 6, kind: 'status', side: 'local', name: 'In Review' },
      ]),
    );
    expect(refs(script)).toHaveLength(6);
  });

  it('an inline map looked up in setStatus', () => {
    expect(refs('issue.setStatus({ "Open": "To Do" }[replica.status?.name]);')).toEqual([
      { line: 1, kind: 'status', side: 'partner', name: 'Open' },
      { line: 1, kind: 'status', side: 'local', name: 'To Do' },
    ]);
  });

  it('every nodeHelper look-up by name', () => {
    const script = 'issue.status = nodeHelper.getStatus("Done");\nissue.priority = nodeHelper.getPriority("Highest");\nvar t = nodeHelper.getIssueType("Bug", "SC");\nissue.resolution = nodeHelper.getResolution("Fixed");';
    expect(refs(script)).toEqual([
      { line: 1, kind: 'status', side: 'local', name: 'Done' },
      { line: 2, kind: 'priority', side: 'local', name: 'Highest' },
      { line: 3, kind: 'issueType', side: 'local', name: 'Bug' },
      { line: 4, kind: 'resolution', side: 'local', name: 'Fixed' },
    ]);
  });

  it('custom fields: issue.customFields and customFieldHelper.setValue are local, replica.customFields in incoming the partner’s', () => {
    const script = 'issue.customFields["Story Points"] = replica.customFields?.["Points"];\ncustomFieldHelper.setValue(issue, "Team", replica.customFields["Squad"]);';
    expect(refs(script)).toEqual(
      expect.arrayContaining([
        { line: 1, kind: 'field', side: 'local', name: 'Story Points' },
        { line: 1, kind: 'field', side: 'partner', name: 'Points' },
        { line: 2, kind: 'field', side: 'local', name: 'Team' },
        { line: 2, kind: 'field', side: 'partner', name: 'Squad' },
      ]),
    );
    // In the outgoing script the replica is what this side fills: its keys are no partner's field names.
    expect(refs('replica.customFields["Points"] = issue.customFields["Story Points"];', 'outgoing')).toEqual([{ line: 1, kind: 'field', side: 'local', name: 'Story Points' }]);
  });

  it('comparisons of status, type and priority names, on either side of the operator', () => {
    const script = [
      'if (replica.status?.name === "Waiting") debug.log(1);',
      'if (issue.status.name == "Done") debug.log(2);',
      'if ("Bug" !== replica.type.name) debug.log(3);',
      'if (issue.priority?.name != "Blocker") debug.log(4);',
    ].join('\n');
    expect(refs(script)).toEqual([
      { line: 1, kind: 'status', side: 'partner', name: 'Waiting' },
      { line: 2, kind: 'status', side: 'local', name: 'Done' },
      { line: 3, kind: 'issueType', side: 'partner', name: 'Bug' },
      { line: 4, kind: 'priority', side: 'local', name: 'Blocker' },
    ]);
    // In outgoing, `replica` was filled from this side's issue.
    expect(refs('if (replica.status.name === "Done") replica.labels = [];', 'outgoing')).toEqual([{ line: 1, kind: 'status', side: 'local', name: 'Done' }]);
  });

  it('names in comments, strings elsewhere or computed at run time are not names', () => {
    expect(refs('// issue.setStatus("Gone");\nvar s = "issue.setStatus(\\"Gone\\")";\nissue.setStatus(replica.status.name);\nissue.summary = "Done";')).toEqual([]);
  });

  it('a script with no names has none; one that does not parse has none either (publish refuses it first)', () => {
    expect(refs(defaultOutgoingScript(), 'outgoing')).toEqual([]);
    expect(refs('issue.summary = replica.summary;')).toEqual([]);
    expect(refs('issue.setStatus("Done"')).toEqual([]);
  });

  it('a top-level return parses (rules accept one)', () => {
    expect(refs('if (!replica.summary) return;\nissue.setStatus("Done");')).toEqual([{ line: 2, kind: 'status', side: 'local', name: 'Done' }]);
  });

  it('the default and Basic incoming scripts name their project and the Task fallback', () => {
    for (const script of [defaultIncomingScript({ projectKey: 'SC' }), basicIncomingScript({ projectKey: 'SC' })]) {
      expect(refs(script).map((r) => [r.kind, r.name])).toEqual([
        ['project', 'SC'],
        ['issueType', 'Task'],
      ]);
    }
  });
});

describe('names a Visual mapping refers to', () => {
  it('scope projects and filters, value pairs, defaults and custom fields, by side', () => {
    const mapping: VisualMapping = {
      ...defaultVisualMapping({ inviter: 'UD', invitee: 'SC' }),
      scope: { inviter: { projectKey: 'UD', filters: [{ field: 'status', values: ['Open'] }] }, invitee: { projectKey: 'SC', filters: [] } },
      mappings: [
        { id: 'status', field: 'status', direction: 'both', values: [{ inviter: 'To Do', invitee: 'Open' }], ifNoMatch: { action: 'default', inviter: 'Backlog', invitee: 'New' } },
        { id: 'sp', field: 'customField', direction: 'toInvitee', customField: { type: 'text', inviter: 'Points', invitee: 'Story Points' } },
      ],
    };
    const found = mappingNameReferences(mapping, 'invitee').map(({ kind, side, name }) => `${side} ${kind} ${name}`);
    expect(found.sort()).toEqual(
      [
        'local project SC',
        'partner project UD',
        'partner status Open',
        'local status Open',
        'partner status To Do',
        'local status New',
        'partner status Backlog',
        'local field Story Points',
        'partner field Points',
      ].sort(),
    );
  });
});

const SITE: SiteNames = {
  projects: ['SC', 'UD'],
  issueTypes: { SC: ['Task', 'Bug', 'Story'], UD: ['Task'] },
  statuses: ['To Do', 'In Progress', 'In Review', 'Done'],
  priorities: ['High', 'Medium', 'Low'],
  resolutions: ['Done', "Won't Do"],
  fields: ['Story Points'],
};

describe('checking names against a site', () => {
  const projects = { local: ['SC'], partner: ['UD'] };

  it('a name that exists gives no warning, whatever its case', () => {
    const references = scriptNameReferences('issue.setStatus("in review");\nissue.customFields["Story Points"] = 1;\nissue.typeName = "Bug";', 'incoming');
    expect(checkNames(references, SITE, null, projects)).toEqual([]);
  });

  it('a missing name warns with its line and the closest existing name', () => {
    const references = scriptNameReferences('issue.summary = replica.summary;\nissue.setStatus("In Reveiw");\nissue.typeName = "Epic";', 'incoming');
    expect(checkNames(references, SITE, null, projects)).toEqual([
      { script: 'incoming', line: 2, kind: 'status', side: 'local', name: 'In Reveiw', suggestion: 'In Review', message: 'No status "In Reveiw" on this site; did you mean "In Review"?' },
      { script: 'incoming', line: 3, kind: 'issueType', side: 'local', name: 'Epic', message: 'No issue type "Epic" on this site.' },
    ]);
  });

  it('issue types are those of the projects in play', () => {
    const references = scriptNameReferences('issue.typeName = "Bug";', 'incoming');
    expect(checkNames(references, SITE, null, { local: ['UD'], partner: [] })).toHaveLength(1);
    // Types of a project the names do not cover (one that does not exist, or a partner's other project) are not judged.
    expect(checkNames(references, SITE, null, { local: ['NOPE'], partner: [] })).toEqual([]);
  });

  it('partner names are judged only where the partner’s values are known', () => {
    const references = scriptNameReferences('if (replica.status.name === "Waiting") issue.setStatus("Done");', 'incoming');
    expect(checkNames(references, SITE, null, projects)).toEqual([]);
    expect(checkNames(references, SITE, SITE, projects).map((w) => [w.side, w.name])).toEqual([['partner', 'Waiting']]);
  });

  it('no suggestion when nothing is close', () => {
    expect(closest('Zebra crossing', SITE.statuses)).toBeUndefined();
    expect(closest('Dne', SITE.statuses)).toBe('Done');
  });
});
