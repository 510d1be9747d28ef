import { describe, expect, it } from 'vitest';
import { SHORT_RETRIES, TIME_LEFT_AFTER_WAIT_MS, waitingOutBursts } from '../../src/forge/jira-patience';
import type { HttpResponse, JiraHttp } from '../../src/ports';

// A short 429 (Jira's burst limit: Retry-After about a second) is waited out in
// the invocation and the request sent again; a long one, or one the invocation
// has no time left for, goes back to the caller as the 429 it was.

function answer(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: new Headers(headers), text: async () => '', bytes: async () => new Uint8Array() };
}

/** Jira that answers from `script` in order, counting requests; a clock moved by the waits. */
function scripted(script: HttpResponse[], remainingMs: number | undefined = 55_000) {
  let now = 0;
  const sent: unknown[] = [];
  const http: JiraHttp = {
    async request(request) {
      sent.push(request.body);
      return script[Math.min(sent.length - 1, script.length - 1)]!;
    },
  };
  const waits: number[] = [];
  const patient = waitingOutBursts(http, {
    invocation: { remainingMs: () => (remainingMs === undefined ? undefined : remainingMs - now) },
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    random: () => 0.5,
  });
  return { patient, sent, waits };
}

const burst = (seconds: string) => answer(429, { 'retry-after': seconds, 'ratelimit-reason': 'jira-burst-based' });
const post = { method: 'POST' as const, path: '/rest/api/3/issue/10001/comment', body: '{"body":"x"}' };

describe('waiting out Jira burst 429s', () => {
  it('sends a request refused by the burst limit again after its Retry-After, the same body', async () => {
    const { patient, sent, waits } = scripted([burst('1'), answer(201)]);
    const response = await patient.request(post);
    expect(response.status).toBe(201);
    expect(sent).toEqual([post.body, post.body]);
    // A second and up to half again, so requests refused together come back spread out.
    expect(waits).toEqual([1_250]);
  });

  it('hands a long Retry-After (the points quota, an outage) back at once', async () => {
    const { patient, sent, waits } = scripted([answer(429, { 'retry-after': '1800', 'ratelimit-reason': 'jira-quota-global-based' }), answer(201)]);
    expect((await patient.request(post)).status).toBe(429);
    expect(sent).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('hands a 429 without a usable Retry-After back, and never retries other errors', async () => {
    for (const refusal of [answer(429), answer(429, { 'retry-after': 'soon' }), answer(503, { 'retry-after': '1' })]) {
      const { patient, sent } = scripted([refusal, answer(201)]);
      expect((await patient.request(post)).status).toBe(refusal.status);
      expect(sent).toHaveLength(1);
    }
  });

  it(`gives up after ${SHORT_RETRIES} resends and returns the last 429`, async () => {
    const { patient, sent, waits } = scripted([burst('1')]);
    expect((await patient.request(post)).status).toBe(429);
    expect(sent).toHaveLength(SHORT_RETRIES + 1);
    expect(waits).toHaveLength(SHORT_RETRIES);
  });

  it('does not wait when the invocation would be left with too little time for its work', async () => {
    const { patient, sent, waits } = scripted([burst('1'), answer(201)], TIME_LEFT_AFTER_WAIT_MS + 1_000);
    expect((await patient.request(post)).status).toBe(429);
    expect(sent).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('waits when the runtime does not say how much time is left', async () => {
    const { patient, waits } = scripted([burst('2'), answer(200)], undefined);
    expect((await patient.request(post)).status).toBe(200);
    expect(waits).toEqual([2_500]);
  });
});
