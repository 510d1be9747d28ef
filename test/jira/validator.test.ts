// The contract validator itself: it must catch departures, or the contract
// tests that rely on it prove nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { createContractValidator, type ContractValidator } from '../support/contract';

describe('contract validator', () => {
  let v: ContractValidator;
  beforeAll(async () => {
    v = await createContractValidator();
  });

  it('resolves operations by method and path, most specific path first', () => {
    expect(v.operationId('GET', '/rest/api/3/issue/UD-1?fields=summary')).toBe('getIssue');
    expect(v.operationId('POST', '/rest/api/3/issue/bulkfetch')).toBe('bulkFetchIssues');
    expect(v.operationId('GET', '/rest/api/3/project/search')).toBe('searchProjects');
    expect(v.operationId('GET', '/rest/api/3/project/UD')).toBe('getProject');
    expect(v.operationId('PATCH', '/rest/api/3/issue/UD-1')).toBeUndefined();
    expect(v.check({ method: 'GET', path: '/rest/api/3/nowhere' }, { status: 200 })).toEqual([
      'The contract has no operation GET /rest/api/3/nowhere',
    ]);
  });

  it('accepts a conforming exchange', () => {
    const findings = v.check(
      { method: 'POST', path: '/rest/api/3/issue', headers: { 'content-type': 'application/json' }, body: { fields: { summary: 'x' } } },
      { status: 201, body: { id: '10000', key: 'UD-1', self: 'http://jira.test/rest/api/3/issue/10000' } },
    );
    expect(findings).toEqual([]);
  });

  it('reports extra properties where the contract forbids them', () => {
    const findings = v.check(
      { method: 'POST', path: '/rest/api/3/issue', headers: { 'content-type': 'application/json' }, body: {} },
      { status: 201, body: { id: '10000', key: 'UD-1', url: 'x' } },
    );
    expect(findings.join('\n')).toContain('must NOT have additional properties');
  });

  it('reports request bodies and parameters that do not fit', () => {
    const body = v.check(
      { method: 'POST', path: '/rest/api/3/search/jql', headers: { 'content-type': 'application/json' }, body: { jql: 'x', startAt: 5 } },
      { status: 200, body: { issues: [], isLast: true } },
    );
    expect(body.join('\n')).toContain('searchAndReconsileIssuesUsingJqlPost request');
    const query = v.check({ method: 'GET', path: '/rest/api/3/issuetype/project?projectId=abc' }, { status: 200, body: [] });
    expect(query.join('\n')).toContain('getIssueTypesForProject request');
  });

  it('reports wrong types, undeclared statuses, stray bodies and non-Jira errors', () => {
    expect(v.check({ method: 'GET', path: '/rest/api/3/myself' }, { status: 200, body: { accountId: 5 } }).join('\n')).toContain('must be string');
    expect(v.check({ method: 'GET', path: '/rest/api/3/myself' }, { status: 418 }).join('\n')).toContain('does not declare');
    expect(v.check({ method: 'DELETE', path: '/rest/api/3/issue/UD-1' }, { status: 204, body: { ok: true } })).toEqual([
      'deleteIssue answered 204 with a body',
    ]);
    expect(v.check({ method: 'GET', path: '/rest/api/3/issue/UD-1' }, { status: 404, body: { error: 'nope' } }).join('\n')).toContain(
      'not an ErrorCollection',
    );
    expect(v.check({ method: 'GET', path: '/rest/api/3/issue/UD-1' }, { status: 404, body: { errorMessages: ['x'], errors: {} } })).toEqual([]);
  });

  it('throws from assert with every finding', () => {
    expect(() => v.assert({ method: 'GET', path: '/rest/api/3/myself' }, { status: 200, body: { accountId: 5 } })).toThrow(/Contract violation/);
  });
});

describe('the vendored contract', () => {
  it('is the pinned copy of the official document', async () => {
    const { createHash } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(new URL('../../contract/jira-platform-openapi.normalized.json', import.meta.url));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('4b2c9ebce331c999963e9b2350058474d9b28bf42fc39f08cf9d03face4c54ee');
  });
});
