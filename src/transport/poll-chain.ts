import { z } from 'zod';
import type { Platform } from '../ports';
import { pushWork } from './kick';
import { pollChainKey, pollHopKey, pollHopPrefix } from './keys';
import { recordKind } from '../domain/stored-record';

// The private side's heartbeat: a chain of delayed queue events, each
// pushing the next. Only the chain whose id is stored may renew itself, so a
// re-seed or a duplicated event never multiplies the chain.

/** Forge stops a push chain after 1,000 hops; start a fresh one well before. */
export const MAX_HOPS = 900;

export const PollChain = z.object({
  chainId: z.string(),
  hop: z.number().int().nonnegative(),
  /** When the next link is due. */
  nextAt: z.number(),
  startedAt: z.number(),
});
export type PollChain = z.infer<typeof PollChain>;

const pollChainRecord = recordKind({ name: 'poll chain', version: 1, schema: PollChain, key: pollChainKey });

export async function readPollChain(platform: Platform, connectionId: string): Promise<PollChain | undefined> {
  return pollChainRecord.find(platform, connectionId);
}

/** Starts a new chain; any older chain dies at its next link. */
export async function seedPollChain(platform: Platform, connectionId: string): Promise<PollChain> {
  const now = platform.clock.now();
  const chain: PollChain = { chainId: platform.random.uuid(), hop: 0, nextAt: now, startedAt: now };
  await platform.kvs.set(pollChainKey(connectionId), chain);
  await pushWork(platform, { kind: 'transport.poll', connectionId, chainId: chain.chainId, hop: 0 });
  return chain;
}

/** Whether a chain event is the link the chain expects (not a stale chain, not a duplicate delivery). */
export function isCurrentLink(chain: PollChain | undefined, chainId: string, hop: number | undefined): chain is PollChain {
  return !!chain && chain.chainId === chainId && chain.hop === (hop ?? 0);
}

/** Pushes the next link. Claimed only-if-absent, so two runs of one link never fork the chain. */
export async function renewPollChain(platform: Platform, connectionId: string, chain: PollChain, intervalSeconds: number): Promise<void> {
  const hop = chain.hop + 1;
  if (!(await platform.kvs.setIfAbsent(pollHopKey(connectionId, chain.chainId, hop), platform.clock.now()))) return;
  await platform.kvs.delete(pollHopKey(connectionId, chain.chainId, chain.hop));
  await platform.kvs.set(pollChainKey(connectionId), { ...chain, hop, nextAt: platform.clock.now() + intervalSeconds * 1000 } satisfies PollChain);
  await pushWork(platform, { kind: 'transport.poll', connectionId, chainId: chain.chainId, hop }, intervalSeconds);
}

/** Hop claims of chains that are no longer current. */
export async function pruneHopClaims(platform: Platform, connectionId: string): Promise<void> {
  const current = await readPollChain(platform, connectionId);
  const page = await platform.kvs.query(pollHopPrefix(connectionId), { limit: 100 });
  for (const item of page.results) {
    if (current && item.key.startsWith(`${pollHopPrefix(connectionId)}${current.chainId}:`)) continue;
    await platform.kvs.delete(item.key);
  }
}

/** A chain is broken when its next link is well overdue, or it is about to reach the hop limit. */
export function chainNeedsSeed(chain: PollChain | undefined, now: number, intervalSeconds: number): boolean {
  if (!chain) return true;
  if (chain.hop >= MAX_HOPS) return true;
  return chain.nextAt + intervalSeconds * 1000 + 120_000 < now;
}

export async function stopPollChain(platform: Platform, connectionId: string): Promise<void> {
  await platform.kvs.delete(pollChainKey(connectionId));
}
