// Attachments: multipart uploads behind Jira's XSRF guard, byte-identical
// downloads, metadata, size limit and deletion.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blueSeed } from '../../src/local/jira/seed';
import { openHarness, type Harness } from './harness';

/** Deterministic bytes covering every value 0..255. */
function bytes(length: number, seed = 7): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i < 256 ? i : x >>> 24;
  }
  return out;
}

function upload(...files: { name: string; content: Uint8Array<ArrayBuffer>; type?: string }[]): FormData {
  const form = new FormData();
  for (const file of files) form.append('file', new Blob([file.content], file.type ? { type: file.type } : {}), file.name);
  return form;
}

const XSRF = { 'X-Atlassian-Token': 'no-check' };

describe('attachments', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness('blue');
  });
  afterEach(() => h.close());

  it('gives back exactly the bytes that were uploaded', async () => {
    const content = bytes(1024 * 1024 + 3);
    const added = await h.call('POST', '/rest/api/3/issue/UD-1/attachments', {
      rawBody: upload({ name: 'big.bin', content, type: 'application/octet-stream' }), headers: XSRF,
    });
    expect(added.body[0]).toMatchObject({ filename: 'big.bin', size: content.byteLength, mimeType: 'application/octet-stream' });
    const download = await h.call('GET', `/rest/api/3/attachment/content/${added.body[0].id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.bytes.byteLength).toBe(content.byteLength);
    expect(Buffer.from(download.bytes).equals(Buffer.from(content))).toBe(true);
  });

  it('takes several files in one upload and lists them on the issue', async () => {
    const added = await h.call('POST', '/rest/api/3/issue/UD-2/attachments', {
      rawBody: upload(
        { name: 'notes.txt', content: new TextEncoder().encode('hello'), type: 'text/plain' },
        { name: 'Übersicht.png', content: bytes(64) },
      ),
      headers: XSRF,
    });
    expect(added.body.map((a: { filename: string; mimeType: string }) => [a.filename, a.mimeType])).toEqual([
      ['notes.txt', 'text/plain'],
      ['Übersicht.png', 'image/png'],
    ]);
    const issue = await h.call('GET', '/rest/api/3/issue/UD-2?fields=attachment');
    expect(issue.body.fields.attachment.map((a: { id: string }) => a.id)).toEqual(added.body.map((a: { id: string }) => a.id));
    expect(issue.body.fields.attachment[0].author.accountId).toBe(h.site.appAccountId);
    const meta = await h.call('GET', `/rest/api/3/attachment/${added.body[1].id}`);
    expect(meta.body).toMatchObject({ filename: 'Übersicht.png', size: 64, created: '2026-11-23T12:00:00.000+0000' });
  });

  it('refuses uploads without the XSRF header, storing nothing and firing nothing', async () => {
    const refused = await h.call('POST', '/rest/api/3/issue/UD-1/attachments', { rawBody: upload({ name: 'a.txt', content: bytes(3) }) });
    expect(refused.status).toBe(403);
    expect(new TextDecoder().decode(refused.bytes)).toBe('XSRF check failed');
    expect((await h.call('GET', '/rest/api/3/issue/UD-1?fields=attachment')).body.fields.attachment).toEqual([]);
    expect(h.events).toEqual([]);
  });

  it('answers 404 for an upload to a missing issue and for missing attachments', async () => {
    expect((await h.call('POST', '/rest/api/3/issue/UD-404/attachments', { rawBody: upload({ name: 'a', content: bytes(1) }), headers: XSRF })).status).toBe(404);
    expect((await h.call('GET', '/rest/api/3/attachment/content/99999')).status).toBe(404);
    expect((await h.call('DELETE', '/rest/api/3/attachment/99999')).status).toBe(404);
  });

  it('deletes an attachment with its content', async () => {
    const added = await h.call('POST', '/rest/api/3/issue/UD-1/attachments', { rawBody: upload({ name: 'gone.txt', content: bytes(10) }), headers: XSRF });
    expect((await h.call('DELETE', `/rest/api/3/attachment/${added.body[0].id}`)).status).toBe(204);
    expect((await h.call('GET', `/rest/api/3/attachment/content/${added.body[0].id}`)).status).toBe(404);
    expect((await h.call('GET', '/rest/api/3/issue/UD-1?fields=attachment')).body.fields.attachment).toEqual([]);
  });
});

describe('attachment size limit', () => {
  it('answers 413 above the limit', async () => {
    const h = await openHarness('small', { seed: { ...blueSeed, attachmentMaxBytes: 100 } });
    const refused = await h.call('POST', '/rest/api/3/issue/UD-1/attachments', {
      rawBody: upload({ name: 'large.bin', content: bytes(101) }), headers: XSRF,
    });
    expect(refused.status).toBe(413);
    expect((await h.call('GET', '/rest/api/3/attachment/meta')).body.uploadLimit).toBe(100);
    h.close();
  });
});
