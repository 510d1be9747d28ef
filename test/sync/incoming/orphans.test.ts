import { describe, expect, it } from 'vitest';
import { orphanFinder } from '../../../src/sync/incoming/orphans';

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
