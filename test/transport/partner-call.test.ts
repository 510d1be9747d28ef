import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HttpResponse, PartnerHttp } from '../../src/ports';
import { callBudget, callPartner, CALL_CAP_MS, formatWait, SAFETY_MARGIN_MS } from '../../src/transport/partner-call';
import { checkPartnerUrl } from '../../src/transport/partner-url';
import { createMemoryPlatform } from '../support/memory-platform';

// The one way out to a partner: the URL is checked first, and the call gets a
// deadline inside what the invocation has left. No test here waits on real
// time: the budgets are injected, a partner that never answers settles only
// when the deadline aborts it, and the deadline's timer is a fake one the
// test moves.

const PARTNER = 'https://green.example/x/partner-endpoint';

/** A partner that takes the call and never answers; it ends only when the caller aborts. */
function neverAnswers(): PartnerHttp & { calls: { url: string; signal?: AbortSignal }[] } {
  const calls: { url: string; signal?: AbortSignal }[] = [];
  return {
    calls,
    fetch: (url, init) => {
      calls.push({ url, signal: init.signal });
      return new Promise<HttpResponse>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true }));
    },
  };
}

/** A platform whose invocation has `remaining` ms left and whose partner is `partner`. */
function platformWith(partner: PartnerHttp, remaining?: number) {
  return { ...createMemoryPlatform(remaining === undefined ? {} : { remainingMs: () => remaining }), partner };
}

/** Runs `call` with fake timers; true when it settled before `ms` of (fake) time passed. */
async function settlesWithin<T>(call: () => Promise<T>, ms: number): Promise<{ early: boolean; result: T }> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let settled = false;
  const pending = call().finally(() => (settled = true));
  await vi.advanceTimersByTimeAsync(ms - 1);
  const early = settled;
  await vi.advanceTimersByTimeAsync(1);
  return { early, result: await pending };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the deadline of a partner call', () => {
  it('leaves a safety margin inside each kind of invocation, and never exceeds the cap of the kind of call', () => {
    expect(SAFETY_MARGIN_MS).toBe(5_000);
    // A resolver (25 s) or a product-event trigger (25 s) just started.
    expect(callBudget('exchange', 25_000)).toEqual({ start: true, timeoutMs: 20_000 });
    expect(callBudget('describe', 25_000)).toEqual({ start: true, timeoutMs: 10_000 });
    // A web trigger (55 s).
    expect(callBudget('exchange', 55_000)).toEqual({ start: true, timeoutMs: 50_000 });
    // A queue consumer declaring 900 s, or a scheduled trigger: the cap of the call decides.
    expect(callBudget('exchange', 900_000)).toEqual({ start: true, timeoutMs: CALL_CAP_MS.exchange });
    expect(callBudget('describe', 900_000)).toEqual({ start: true, timeoutMs: CALL_CAP_MS.describe });
    // Late in an invocation the remaining time decides.
    expect(callBudget('exchange', 12_345)).toEqual({ start: true, timeoutMs: 7_345 });
    // A platform that cannot tell: the cap.
    expect(callBudget('exchange', undefined)).toEqual({ start: true, timeoutMs: CALL_CAP_MS.exchange });
  });

  it('does not start a call that would have less than a second', () => {
    expect(callBudget('exchange', 6_000)).toEqual({ start: true, timeoutMs: 1_000 });
    expect(callBudget('exchange', 5_999)).toEqual({ start: false, remainingMs: 5_999 });
    expect(callBudget('describe', 0)).toEqual({ start: false, remainingMs: 0 });
    expect(callBudget('describe', -40)).toEqual({ start: false, remainingMs: 0 });
  });

  it('says how long it waited in words a person reads', () => {
    expect(formatWait(20_000)).toBe('20 s');
    expect(formatWait(7_345)).toBe('7.3 s');
    expect(formatWait(20)).toBe('20 ms');
  });

  it('abandons a partner that never answers when the deadline passes, and aborts its fetch', async () => {
    const partner = neverAnswers();
    // 1.5 s left after the 5 s margin: the deadline, not the partner, ends the call, and not a moment before.
    const { early, result } = await settlesWithin(
      () => callPartner(platformWith(partner, SAFETY_MARGIN_MS + 1_500), PARTNER, { method: 'POST', headers: {}, body: '{}' }, 'exchange'),
      1_500,
    );
    expect(early).toBe(false);
    expect(result).toEqual({ kind: 'unreachable', reason: `${PARTNER} did not answer within 1.5 s` });
    expect(partner.calls).toHaveLength(1);
    expect(partner.calls[0]!.signal?.aborted).toBe(true);
  });

  it('holds the answer body to the same deadline', async () => {
    let aborted = false;
    const stalls: PartnerHttp = {
      fetch: async (_url, init) => {
        init.signal?.addEventListener('abort', () => (aborted = true));
        // Headers arrive; the body never does.
        return { status: 200, headers: new Headers(), text: () => new Promise<string>(() => undefined), bytes: () => new Promise<Uint8Array>(() => undefined) };
      },
    };
    const { early, result } = await settlesWithin(() => callPartner(platformWith(stalls, 60_000), PARTNER, { method: 'GET', headers: {} }, 'describe'), CALL_CAP_MS.describe);
    expect(early).toBe(false);
    expect(result).toEqual({ kind: 'unreachable', reason: `${PARTNER} did not answer within 10 s` });
    expect(aborted).toBe(true);
  });

  it('does not call at all when the invocation has no time left for it', async () => {
    const partner = neverAnswers();
    const result = await callPartner(platformWith(partner, 4_200), PARTNER, { method: 'POST', headers: {}, body: '{}' }, 'exchange');
    expect(result).toEqual({ kind: 'unreachable', reason: `${PARTNER} was not called: only 4.2 s of this invocation were left` });
    expect(partner.calls).toEqual([]);
  });

  it('passes an answer through with its body read', async () => {
    const answers: PartnerHttp = {
      fetch: async () => ({ status: 201, headers: new Headers({ 'x-a': '1' }), text: async () => 'hello', bytes: async () => new Uint8Array() }),
    };
    const result = await callPartner(platformWith(answers, 25_000), PARTNER, { method: 'GET', headers: {} }, 'describe');
    expect(result.kind).toBe('answered');
    if (result.kind === 'answered') expect([result.response.status, result.text]).toEqual([201, 'hello']);
  });

  it('reports a network failure as unreachable, in its own words', async () => {
    const refuses: PartnerHttp = {
      fetch: async () => {
        throw new TypeError('fetch failed (connection refused)');
      },
    };
    expect(await callPartner(platformWith(refuses), PARTNER, { method: 'GET', headers: {} }, 'describe')).toEqual({
      kind: 'unreachable',
      reason: 'fetch failed (connection refused)',
    });
  });
});

describe('which partner URLs may be called', () => {
  const loopback = { isSandboxLoopback: (url: string) => url.startsWith('http://localhost:8080/blue/x/') };

  it('takes https and refuses plain http, naming the URL', () => {
    expect(checkPartnerUrl(PARTNER).ok).toBe(true);
    expect(checkPartnerUrl('http://green.example/x/partner-endpoint')).toEqual({
      ok: false,
      reason: 'The partner URL http://green.example/x/partner-endpoint uses plain http; partners are only called over https (an Exalate URL starts with https://).',
    });
  });

  it("takes http only for the sandbox's own sites, and only when the platform says so", () => {
    const own = 'http://localhost:8080/blue/x/partner-endpoint';
    expect(checkPartnerUrl(own, loopback).ok).toBe(true);
    // Forge gives no policy: the same URL is refused there.
    expect(checkPartnerUrl(own).ok).toBe(false);
    expect(checkPartnerUrl('http://localhost:8080/blue/rest/api/3/myself', loopback).ok).toBe(false);
  });

  it('refuses what is not a URL or not http(s)', () => {
    expect(checkPartnerUrl('green.example/x')).toEqual({ ok: false, reason: '"green.example/x" is not a URL; a partner\'s Exalate URL looks like https://….' });
    expect(checkPartnerUrl('ftp://green.example/x')).toEqual({ ok: false, reason: 'The partner URL ftp://green.example/x is not an https:// address.' });
    expect(checkPartnerUrl('file:///etc/passwd', { isSandboxLoopback: () => true }).ok).toBe(false);
  });

  it('is checked before anything is sent', async () => {
    const partner = neverAnswers();
    const result = await callPartner(platformWith(partner), 'http://green.example/x', { method: 'POST', headers: {}, body: '{}' }, 'exchange');
    expect(result).toEqual({ kind: 'refused-url', reason: expect.stringMatching(/^The partner URL http:\/\/green\.example\/x uses plain http/) });
    expect(partner.calls).toEqual([]);
  });
});
