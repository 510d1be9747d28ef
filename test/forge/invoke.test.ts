import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoSites } from '../integration/helpers';

// Resolver invocation over HTTP, as the custom UI's bridge makes it:
// `POST /<site>/bridge/invoke {key, payload}` → the resolver's JSON, or a
// 4xx/5xx with {"error": "…"} a person can read.

let rt: Awaited<ReturnType<typeof twoSites>>;
beforeAll(async () => {
  rt = await twoSites();
});
afterAll(() => rt?.close());

const post = (site: string, body: unknown) =>
  rt.fetch(`/${site}/bridge/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /<site>/bridge/invoke', () => {
  it("answers the resolver's result", async () => {
    const response = await post('blue', { key: 'listProjects', payload: {} });
    expect(response.status).toBe(200);
    expect((await response.json()).projects.map((p: { key: string }) => p.key)).toEqual(['TEST', 'UD', 'WEB']);
  });

  it('answers 400 naming an unknown resolver key', async () => {
    const response = await post('blue', { key: 'noSuchThing', payload: {} });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Unknown resolver "noSuchThing"' });
  });

  it('answers 400 naming the field of a bad payload', async () => {
    const response = await post('green', { key: 'listProjects', payload: { query: 5 } });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/^query: .*expected string/);
  });

  it('answers 400 when the body is not JSON or names no key', async () => {
    expect((await post('blue', 'not json')).status).toBe(400);
    const noKey = await post('blue', { payload: {} });
    expect(noKey.status).toBe(400);
    expect((await noKey.json()).error).toMatch(/Missing "key"/);
  });

  it('answers 409 with a readable message for a Visual call on a connection in another mode', async () => {
    const instance = await (await post('blue', { key: 'getInstance', payload: {} })).json();
    const made = await post('blue', { key: 'initiateConnection', payload: { destinationUrl: instance.exalateUrl, mode: 'script', localName: 'Design', remoteName: 'Testing', projectKey: 'UD', remoteProjectKey: 'TEST' } });
    expect(made.status).toBe(200);
    const { connectionId } = await made.json();
    const response = await post('blue', { key: 'getMapping', payload: { connectionId } });
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatch(/is in Script mode: it has no Visual mapping/);
  });

  it('answers 404 for a site that does not exist, in the shape each kind of route answers', async () => {
    const invoked = await post('purple', { key: 'listProjects' });
    expect([invoked.status, await invoked.json()]).toEqual([404, { error: 'Site not found' }]);
    const rest = await rt.fetch('/purple/rest/api/3/myself');
    expect([rest.status, await rest.json()]).toEqual([404, { errorMessages: ['Site not found'] }]);
    const trigger = await rt.fetch('/purple/x/partner-endpoint');
    expect([trigger.status, await trigger.json()]).toEqual([404, { error: 'Site not found' }]);
    const page = await rt.fetch('/purple/apps/exalate-admin/connections');
    expect([page.status, await page.text()]).toEqual([404, 'Not found']);
  });
});
