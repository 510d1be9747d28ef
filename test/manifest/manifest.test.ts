import { execSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/local/forge/manifest';

// manifest.yml checked with the validators Atlassian ships in @forge/manifest
// (schema, module references, handler files, resource paths).

const require = createRequire(import.meta.url);
const { validate } = require('@forge/manifest') as {
  validate: (basic: boolean, path: string) => Promise<{ success: boolean; errors?: { message: string }[] }>;
};

const root = join(import.meta.dirname, '../..');

beforeAll(() => {
  // The custom UI resource must exist for the resource validator.
  if (!existsSync(join(root, 'static/dist/index.html'))) execSync('npm run build:ui', { cwd: root, stdio: 'inherit' });
}, 180_000);

/** A copy of the app (manifest, src, built UI) in a temp dir, so a broken manifest can be validated in place. */
function appCopy(manifest: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
  cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true });
  cpSync(join(root, 'static/dist'), join(dir, 'static/dist'), { recursive: true });
  writeFileSync(join(dir, 'manifest.yml'), manifest);
  return dir;
}

async function validateIn(dir: string) {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await validate(false, 'manifest.yml');
  } finally {
    process.chdir(cwd);
  }
}

const manifest = readFileSync(join(root, 'manifest.yml'), 'utf8');

describe('manifest.yml', () => {
  it('passes every validator of @forge/manifest', async () => {
    const result = await validateIn(root);
    expect(result.errors ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('fails when a scheduled trigger asks for an interval Forge does not offer', async () => {
    // Scheduled triggers run at most every five minutes: the reason private-side polling is a queue chain.
    const broken = manifest.replace('interval: fiveMinute', 'interval: everySecond');
    const result = await validateIn(appCopy(broken));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.errors)).toMatch(/interval 'everySecond' allowed values are 'fiveMinute'/);
  });

  it('fails when a trigger filter is not what Forge expects', async () => {
    const broken = manifest.replace('ignoreSelf: true', 'ignoreSelf: sometimes');
    const result = await validateIn(appCopy(broken));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.errors)).toMatch(/ignoreSelf 'sometimes' must be boolean/);
  });

  it('fails when a module points at a function that does not exist', async () => {
    const broken = manifest.replace('function: on-queue-event\n', 'function: no-such-function\n');
    const result = await validateIn(appCopy(broken));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.errors)).toMatch(/no-such-function/);
  });

  it('fails when a handler export names a file that is not there', async () => {
    const broken = manifest.replace('handler: index.onSchedule', 'handler: missing.onSchedule');
    const result = await validateIn(appCopy(broken));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.errors)).toMatch(/missing/);
  });

  it('fails when the preUninstall module names no function (the validator knows the module)', async () => {
    const broken = manifest.replace('      function: on-pre-uninstall\n', '');
    const result = await validateIn(appCopy(broken));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.errors)).toMatch(/preUninstall required properties are 'function, key'/);
  });

  it('declares every module the app needs, and src/index.ts exports every handler', async () => {
    const app = readManifest(join(root, 'manifest.yml'));
    const index = (await import('../../src/index')) as Record<string, unknown>;
    for (const exportName of Object.values(app.handlers)) expect(typeof index[exportName], exportName).toBe('function');
    expect(Object.keys(app.uiModules).sort()).toEqual(['exalate-admin', 'exalate-issue-panel', 'exalate-project-settings']);
    expect(app.triggers[0]?.ignoreSelf).toBe(true);
    expect(app.triggers[0]?.events).toEqual(
      expect.arrayContaining(['avi:jira:created:issue', 'avi:jira:updated:issue', 'avi:jira:deleted:issue', 'avi:jira:commented:issue', 'avi:jira:deleted:comment', 'avi:jira:created:attachment', 'avi:jira:deleted:attachment', 'avi:jira:created:issuelink', 'avi:jira:deleted:issuelink']),
    );
    expect(app.scheduledTriggers.map((s) => s.interval)).toEqual(['fiveMinute']);
    expect(app.webTriggers.map((w) => w.key)).toEqual(['partner-endpoint']);
    expect(app.consumers).toEqual([{ key: 'sync-worker', queue: 'sync-work', function: 'on-queue-event' }]);
    expect(app.preUninstall).toEqual([{ key: 'uninstall-cleanup', function: 'on-pre-uninstall' }]);
    expect(app.handlers['on-pre-uninstall']).toBe('onPreUninstall');
  });
});
