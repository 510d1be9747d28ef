import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { recordKind, UnreadableRecord } from '../../src/domain/stored-record';
import { isAppError } from '../../src/domain/errors';
import { twinStore } from '../../src/sync/twins';
import { readDeliveryState } from '../../src/transport/delivery-state';
import { createMemoryPlatform } from '../support/memory-platform';

// Every stored record is read through its schema: one that does not parse is
// reported with its key, as an error, or skipped with a log line where the
// reader can go on; it is never trusted.

const Note = z.object({ text: z.string(), at: z.number() });
const noteRecord = recordKind({ name: 'note', version: 2, schema: Note, key: (id: string) => `note:${id}` });

describe('stored records', () => {
  it('reads a record through its schema, and nothing where there is none', async () => {
    const platform = createMemoryPlatform();
    await platform.kvs.set('note:a', { text: 'hello', at: 1, extra: true });
    expect(await noteRecord.get(platform.kvs, 'a')).toEqual({ text: 'hello', at: 1 });
    expect(await noteRecord.get(platform.kvs, 'b')).toBeUndefined();
    expect(await noteRecord.find(platform, 'b')).toBeUndefined();
  });

  it('reports an unreadable record with its key: as an error, or as a log line when the reader goes on', async () => {
    const platform = createMemoryPlatform();
    await platform.kvs.set('note:bad', { text: 7 });
    const error = await noteRecord.get(platform.kvs, 'bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableRecord);
    expect(isAppError(error) && error.kind).toBe('Internal');
    expect((error as UnreadableRecord).key).toBe('note:bad');
    expect((error as Error).message).toMatch(/^The stored note \(v2\) at "note:bad" is unreadable: text: /);

    expect(await noteRecord.find(platform, 'bad')).toBeUndefined();
    expect(platform.log.entries).toContainEqual(expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ key: 'note:bad', record: 'note', version: 2 }) }));
  });

  it('reads query pages entry by entry: skipping (and logging) the unreadable ones, or refusing them', async () => {
    const platform = createMemoryPlatform();
    await platform.kvs.set('note:1', { text: 'one', at: 1 });
    await platform.kvs.set('note:2', 'not a note');
    await platform.kvs.set('note:3', { text: 'three', at: 3 });
    const page = await platform.kvs.query('note:');
    expect(noteRecord.entries(page, platform.log).map((e) => e.value.text)).toEqual(['one', 'three']);
    expect(platform.log.text()).toContain('note:2');
    expect(() => noteRecord.entries(page)).toThrow(/note:2/);
  });

  it('never mistakes an unreadable twin for none, and reads an unreadable delivery state as a fresh one', async () => {
    const platform = createMemoryPlatform();
    await platform.kvs.set('twin:c1:10001', { localIssueId: 10001 });
    await expect(twinStore(platform.kvs).get('c1', '10001')).rejects.toThrow(/The stored twin \(v2\) at "twin:c1:10001" is unreadable/);
    await platform.kvs.set('delivery:c1', { failures: 'many' });
    expect((await readDeliveryState(platform, 'c1')).failures).toBe(0);
    expect(platform.log.text()).toContain('delivery:c1');
  });

  it('casts no stored value in the core: storage answers unknown, and only schemas read it', () => {
    const root = join(import.meta.dirname, '../../src');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : /\.ts$/.test(name) ? [path] : [];
      });
    const casts = files(root)
      // The adapter over @forge/kvs speaks the SDK's generic API, and the local runtime is the platform itself.
      .filter((path) => !/^(forge|local)\//.test(relative(root, path)))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, where: `${relative(root, path)}:${i + 1}` }))
          .filter(({ line }) => /\b(get|getSecret|query)<[^>]+>\(/.test(line) || /kvs\.(get|getSecret)\([^)]*\)\)?\s+as\s/.test(line))
          .map(({ where }) => where),
      );
    expect(casts).toEqual([]);
  });
});
