import { describe, expect, it } from 'vitest';
import { textToAdf } from '../../src/local/shell/adf';
import { createIssueFields, editIssueFields, parseLabels } from '../../src/local/shell/forms';
import type { Issue } from '../../src/local/shell/jira-client';

describe('shell forms', () => {
  it('splits labels on spaces and commas, once each', () => {
    expect(parseLabels(' ui,  backend ui\tfrontend ')).toEqual(['ui', 'backend', 'frontend']);
  });

  it('builds create fields, leaving out what the person left empty', () => {
    expect(createIssueFields({ project: 'UD', issuetype: '10001', summary: 'S', description: '', priority: '', labels: '', assignee: '' })).toEqual({
      project: { key: 'UD' },
      issuetype: { id: '10001' },
      summary: 'S',
    });
    expect(
      createIssueFields({ project: 'UD', issuetype: '10002', summary: 'S', description: 'd', priority: '2', labels: 'a b', assignee: 'acc-1' }),
    ).toEqual({
      project: { key: 'UD' },
      issuetype: { id: '10002' },
      summary: 'S',
      description: textToAdf('d'),
      priority: { id: '2' },
      labels: ['a', 'b'],
      assignee: { accountId: 'acc-1' },
    });
  });

  it('edits only the fields that changed, keeping rich descriptions untouched', () => {
    const rich = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hello', marks: [{ type: 'strong' }] }] }],
    };
    const current: Issue = {
      id: '1',
      key: 'UD-1',
      fields: {
        summary: 'Old',
        description: rich,
        issuetype: { id: '10001', name: 'Task' },
        priority: { id: '3', name: 'Medium' },
        labels: ['a'],
        assignee: { accountId: 'acc-1' },
      },
    };
    const same = { issuetype: '10001', summary: 'Old', description: 'Hello', priority: '3', labels: 'a', assignee: 'acc-1' };
    expect(editIssueFields(same, current)).toEqual({});
    expect(editIssueFields({ ...same, summary: 'New', assignee: '', labels: 'a b' }, current)).toEqual({
      summary: 'New',
      assignee: null,
      labels: ['a', 'b'],
    });
    expect(editIssueFields({ ...same, description: 'Bye' }, current)).toEqual({ description: textToAdf('Bye') });
    expect(editIssueFields({ ...same, description: '  ' }, current)).toEqual({ description: null });
  });
});
