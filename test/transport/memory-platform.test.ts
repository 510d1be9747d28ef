import { describe, expect, it } from 'vitest';
import { FakeClock, KvsError, ManualQueue, MemoryJira, MemoryKvs, PartnerNetwork, SeededRandom } from '../support/memory-platform';

// The in-memory platform must fail where Forge fails, or core tests prove nothing.

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof KvsError ? e.code : String(e)));

describe('memory KVS', () => {
  it('holds Forge limits on keys and values', async () => {
    const kvs = new MemoryKvs();
    expect(await code(kvs.set('a:b.c-d_e#f g', 1))).toBe('ok');
    expect(await code(kvs.set('', 1))).toBe('KEY_TOO_SHORT');
    expect(await code(kvs.set('k'.repeat(501), 1))).toBe('KEY_TOO_LONG');
    expect(await code(kvs.set('bad/key', 1))).toBe('INVALID_KEY');
    expect(await code(kvs.set('   ', 1))).toBe('INVALID_KEY');
    expect(await code(kvs.set('big', 'x'.repeat(240 * 1024)))).toBe('MAX_SIZE');
    let deep: unknown = 1;
    for (let i = 0; i < 32; i++) deep = { d: deep };
    expect(await code(kvs.set('deep', deep))).toBe('MAX_DEPTH');
    expect(await code(kvs.setSecret('big', 'x'.repeat(240 * 1024)))).toBe('MAX_SIZE');
    expect(await kvs.get('missing')).toBeUndefined();
  });

  it('stores copies, not references', async () => {
    const kvs = new MemoryKvs();
    const value = { list: [1] };
    await kvs.set('v', value);
    value.list.push(2);
    expect(await kvs.get('v')).toEqual({ list: [1] });
  });

  it('queries by prefix in key order, pages with cursors, and refuses oversized pages', async () => {
    const kvs = new MemoryKvs();
    for (let i = 0; i < 250; i++) await kvs.set(`p:${String(i).padStart(3, '0')}`, i);
    await kvs.set('q:other', 0);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await kvs.query<number>('p:', { limit: 100, cursor });
      seen.push(...page.results.map((r) => r.value));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(await code(kvs.query('p:', { limit: 101 }))).toBe('LIST_QUERY_LIMIT_EXCEEDED');
    expect(await code(kvs.query('p:', { cursor: 'nonsense' }))).toBe('INVALID_CURSOR');
    expect((await kvs.query('p:', { limit: 10 })).nextCursor).toBeDefined();
    expect((await kvs.query('q:', { limit: 10 })).nextCursor).toBeUndefined();
  });

  it('writes only-if-absent atomically and transactions all-or-nothing', async () => {
    const kvs = new MemoryKvs();
    expect(await kvs.setIfAbsent('once', 1)).toBe(true);
    expect(await kvs.setIfAbsent('once', 2)).toBe(false);
    expect(await kvs.get('once')).toBe(1);
    const ops = Array.from({ length: 26 }, (_, i) => ({ kind: 'set' as const, key: `t${i}`, value: i }));
    expect(await code(kvs.transact(ops))).toBe('TOO_MANY_OPERATIONS');
    expect(await code(kvs.transact([{ kind: 'set', key: 'a', value: 1 }, { kind: 'set', key: 'bad/key', value: 2 }]))).toBe('INVALID_KEY');
    expect(await kvs.get('a')).toBeUndefined();
    await kvs.transact([{ kind: 'set', key: 'a', value: 1 }, { kind: 'delete', key: 'once' }]);
    expect(kvs.keys()).toEqual(['a']);
  });
});

describe('manual queue', () => {
  it('holds delayed events until the clock reaches them, and Forge push limits', async () => {
    const clock = new FakeClock(0);
    const queue = new ManualQueue(clock);
    await queue.push([{ body: { kind: 'b' }, delayInSeconds: 10 }, { body: { kind: 'a' } }]);
    expect(queue.takeDue()?.body).toEqual({ kind: 'a' });
    expect(queue.takeDue()).toBeUndefined();
    clock.advance(10_000);
    expect(queue.takeDue()?.body).toEqual({ kind: 'b' });
    await expect(queue.push(Array.from({ length: 51 }, () => ({ body: {} })))).rejects.toThrow(/at most 50/);
    await expect(queue.push([{ body: {}, delayInSeconds: 901 }])).rejects.toThrow(/900/);
    await expect(queue.push([{ body: { x: 'y'.repeat(201 * 1024) } }])).rejects.toThrow(/200 KB/);
  });
});

describe('seeded random, Jira and network', () => {
  it('repeats itself for the same seed and makes v4 uuids', () => {
    expect(new SeededRandom(5).uuid()).toBe(new SeededRandom(5).uuid());
    expect(new SeededRandom(5).uuid()).not.toBe(new SeededRandom(6).uuid());
    expect(new SeededRandom(5).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('answers project lookups like Jira', async () => {
    const jira = new MemoryJira([{ key: 'UD', name: 'UI Design' }]);
    expect((await jira.request({ method: 'GET', path: '/rest/api/3/project/UD' })).status).toBe(200);
    const missing = await jira.request({ method: 'GET', path: '/rest/api/3/project/NO' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(await missing.text())).toEqual({ errorMessages: ["No project could be found with key 'NO'."], errors: {} });
  });

  it('routes to handlers and breaks on request', async () => {
    const network = new PartnerNetwork();
    let handled = 0;
    network.register('http://h/x/t', async (req) => {
      handled++;
      return { statusCode: 200, headers: { 'X-A': ['1'] }, body: `${req.method} ${req.queryParameters.q?.[0]} ${req.headers['x-b']?.[0]}` };
    });
    const http = network.client();
    const ok = await http.fetch('http://h/x/t?q=1', { method: 'POST', headers: { 'X-B': 'b' }, body: '' });
    expect([ok.status, await ok.text(), ok.headers.get('x-a')]).toEqual([200, 'POST 1 b', '1']);
    network.setDown('http://h/x/t', 'unavailable');
    expect((await http.fetch('http://h/x/t', { method: 'GET', headers: {} })).status).toBe(503);
    network.setDown('http://h/x/t', 'refused');
    await expect(http.fetch('http://h/x/t', { method: 'GET', headers: {} })).rejects.toThrow(/refused/);
    network.setDown('http://h/x/t', null);
    network.loseResponses('http://h/x/t', 1);
    await expect(http.fetch('http://h/x/t', { method: 'GET', headers: {} })).rejects.toThrow(/reset/);
    expect(handled).toBe(2);
    await expect(http.fetch('http://elsewhere/', { method: 'GET', headers: {} })).rejects.toThrow();
  });
});
