import { describe, expect, it } from 'vitest';
import { attachmentOrphanFinder, orphanFinder } from '../../../src/sync/incoming/orphans';
import { applyAttachments } from '../../../src/sync/apply';

const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const APP = 'app-account';
const replica = { comments: [{ id: 'r1', created: '2026-12-05T10:00:00.000Z' }] } as never;

function finder(comments: { id: string; author: { accountId: string }; body: unknown; created: string }[], twin = { comments: {}, ownComments: [] as string[] }) {
  let asked = 0;
  const jira = { myself: async () => (asked++, { accountId: APP, displayName: 'App' }) } as never;
  return { find: orphanFinder({ jira, twin, comments, replica }), asked: () => asked };
}

describe('comment copies a stopped run left unrecorded', () => {
  it('takes the app’s own unrecorded copy with the very body, once', async () => {
    const f = finder([{ id: '501', author: { accountId: APP }, body: doc('hello'), created: '2026-12-05T10:00:03.000Z' }]);
    expect(await f.find({ remoteId: 'r1', body: doc('hello') })).toBe('501');
    // The same copy is never taken for a second comment with the same words.
    expect(await f.find({ remoteId: 'r1', body: doc('hello') })).toBeUndefined();
  });

  it('never takes a person’s comment with the same words, nor one the twin records, nor one older than the original', async () => {
    const f = finder(
      [
        { id: '601', author: { accountId: 'person' }, body: doc('hello'), created: '2026-12-05T10:00:03.000Z' },
        { id: '602', author: { accountId: APP }, body: doc('hello'), created: '2026-12-05T10:00:04.000Z' },
        { id: '603', author: { accountId: APP }, body: doc('hello'), created: '2026-12-05T09:00:00.000Z' },
      ],
      { comments: { r0: '602' }, ownComments: ['602'] },
    );
    expect(await f.find({ remoteId: 'r1', body: doc('hello') })).toBeUndefined();
  });

  it('asks Jira who the app is only when a lookalike exists', async () => {
    const f = finder([{ id: '701', author: { accountId: APP }, body: doc('other words'), created: '2026-12-05T10:00:03.000Z' }]);
    expect(await f.find({ remoteId: 'r1', body: doc('hello') })).toBeUndefined();
    expect(await f.find({ body: doc('other words') })).toBeUndefined(); // a comment the script wrote itself is no copy
    expect(f.asked()).toBe(0);
  });

  it('makes the copy (finds nothing) when Jira will not say who the app is', async () => {
    const jira = { myself: async () => { throw new Error('503'); } } as never;
    const find = orphanFinder({ jira, twin: { comments: {}, ownComments: [] }, comments: [{ id: '801', author: { accountId: APP }, body: doc('hello'), created: '2026-12-05T10:00:03.000Z' }], replica });
    expect(await find({ remoteId: 'r1', body: doc('hello') })).toBeUndefined();
  });
});

describe('attachment copies a stopped run left unrecorded', () => {
  const sha = 'a'.repeat(64);
  const seen = [
    { id: '901', filename: 'trace.bin', sha256: sha, created: '2026-12-05T10:00:05.000Z', authorId: 'person' },
    { id: '902', filename: 'trace.bin', sha256: sha, created: '2026-12-05T10:00:06.000Z', authorId: APP },
    { id: '903', filename: 'other.bin', sha256: sha, created: '2026-12-05T10:00:06.000Z', authorId: APP },
  ];
  const attachmentReplica = { attachments: [{ id: 'ra1', created: '2026-12-05T10:00:00.000Z' }] } as never;
  const jira = { myself: async () => ({ accountId: APP, displayName: 'App' }) } as never;

  it('takes the app’s own copy with the same name and bytes, never a person’s, once', async () => {
    const find = attachmentOrphanFinder({ jira, twin: { attachments: {}, ownAttachments: [] }, attachments: seen, replica: attachmentReplica });
    expect(await find({ remoteId: 'ra1', filename: 'trace.bin', sha256: sha })).toBe('902');
    expect(await find({ remoteId: 'ra1', filename: 'trace.bin', sha256: sha })).toBeUndefined();
  });

  it('records the orphan on the twin instead of uploading the file again', async () => {
    const added: string[] = [];
    const fakeJira = { attachments: { add: async (_key: string, file: { filename: string }) => (added.push(file.filename), { id: 'new' }) } } as never;
    const twin = { attachments: {}, ownAttachments: [] } as unknown as Parameters<typeof applyAttachments>[3];
    const op = { op: 'add' as const, remoteId: 'ra1', filename: 'trace.bin', mimeType: 'application/octet-stream', size: 3, sha256: sha };
    const bytes = async () => new Uint8Array([1, 2, 3]);
    const find = attachmentOrphanFinder({ jira, twin, attachments: seen, replica: attachmentReplica });
    const taken = await applyAttachments(fakeJira, 'SC-1', [op] as never, twin, bytes, find);
    expect(added).toEqual([]);
    expect(taken.calls).toBe(0);
    expect(twin.attachments).toEqual({ ra1: '902' });
    expect(twin.ownAttachments).toEqual(['902']);
    // Without an orphan the file is uploaded, as before.
    const fresh = { attachments: {}, ownAttachments: [] } as unknown as Parameters<typeof applyAttachments>[3];
    await applyAttachments(fakeJira, 'SC-1', [op] as never, fresh, bytes);
    expect(added).toEqual(['trace.bin']);
  });
});
