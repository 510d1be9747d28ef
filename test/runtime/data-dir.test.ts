import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dataDirFromArgs, lockDataDir, ownDatabases, resetDataDir } from '../../src/local/data-dir';
import { createLocalRuntime } from '../../src/local/runtime';
import { jira } from '../integration/helpers';

// Where a sandbox keeps its data: its own directory, so two run side by side;
// a reset clears only its own databases there.

const temp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));

afterEach(() => vi.restoreAllMocks());

describe('the data directory', () => {
  it('comes from --data-dir DIR, --data-dir=DIR or DATA_DIR, else the default', () => {
    expect(dataDirFromArgs(['--data-dir', 'a'], {}, '/d')).toBe(resolve('a'));
    expect(dataDirFromArgs(['--reset', '--data-dir=b'], { DATA_DIR: 'c' }, '/d')).toBe(resolve('b'));
    expect(dataDirFromArgs([], { DATA_DIR: 'c' }, '/d')).toBe(resolve('c'));
    expect(dataDirFromArgs([], {}, '/d')).toBe('/d');
    expect(() => dataDirFromArgs(['--data-dir', '--reset'], {}, '/d')).toThrow(/needs a directory/);
  });

  it('keeps two sandboxes apart, and a reset clears only its own databases', async () => {
    const [first, second] = [temp('sandbox-a'), temp('sandbox-b')];
    writeFileSync(join(first, 'notes.txt'), 'not the runtime\'s');
    const a = await createLocalRuntime({ dataDir: first, baseUrl: 'http://sandbox-a.test' });
    const b = await createLocalRuntime({ dataDir: second, baseUrl: 'http://sandbox-b.test' });
    const made = await jira<{ key: string }>(a, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'only in a' } });
    expect(made.status).toBe(201);
    expect((await jira(b, 'blue', 'GET', `/issue/${made.body.key}`)).status).toBe(404);
    const kept = await jira<{ key: string }>(b, 'blue', 'POST', '/issue', { fields: { project: { key: 'UD' }, issuetype: { name: 'Task' }, summary: 'only in b' } });
    a.close();
    b.close();

    expect(readdirSync(first)).toEqual(expect.arrayContaining(ownDatabases(['blue', 'green'])));
    resetDataDir(first, ['blue', 'green']);
    expect(readdirSync(first)).toEqual(['notes.txt']);
    // The other sandbox's data is untouched.
    const again = await createLocalRuntime({ dataDir: second, baseUrl: 'http://sandbox-b2.test' });
    expect((await jira<{ fields: { summary: string } }>(again, 'blue', 'GET', `/issue/${kept.body.key}`)).body.fields.summary).toBe('only in b');
    again.close();
  });

  it('is locked by a running sandbox: a second one is refused, a dead one\'s lock is taken over', () => {
    const dir = temp('sandbox-lock');
    const release = lockDataDir(dir, process.pid);
    expect(() => lockDataDir(dir, process.pid + 1)).toThrow(/in use by another sandbox/);
    release();
    expect(existsSync(join(dir, 'runtime.lock'))).toBe(false);
    // A lock left by a process that no longer runs.
    writeFileSync(join(dir, 'runtime.lock'), '999999999');
    const takeOver = lockDataDir(dir, process.pid);
    takeOver();
  });
});

describe('strict by default', () => {
  it('enforces the limits unless told otherwise, and warns when they are off', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const strict = await createLocalRuntime({ dataDir: temp('strict'), baseUrl: 'http://strict.test' });
    expect(strict.forge.limitsEnforced).toBe(true);
    expect(strict.usage('blue').limitsEnforced).toBe(true);
    strict.close();
    expect(warn).not.toHaveBeenCalledWith(expect.stringMatching(/limits are OFF/));
    const loose = await createLocalRuntime({ dataDir: temp('loose'), baseUrl: 'http://loose.test', limits: false });
    expect(loose.forge.limitsEnforced).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/limits are OFF.*debugging only/));
    loose.close();
  });
});
