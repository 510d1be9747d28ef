import { z } from 'zod';
import type { Platform } from '../ports';
import { pushWork } from './kick';
import { pollChainKey, pollHopKey, pollHopPrefix } from './keys';
import { recordKind } from '../domain/stored-record';

// The private side's heartbeat: a chain of delayed queue events, each
// pushing the next. Only the chain whose id is stored (its generation) may
// renew itself, so a re-seed, a restart or a duplicated event never
// multiplies the chain: a newer seed wins, and the older chain's pending link
// finds another id stored and ends there.
//
// Forge counts every push request that descends from one initial invocation
// and refuses the 1,001st (docs/forge-limits.md, events.cyclicPushesPerChain):
// a chain that only renewed itself would die after 1,000 links, sooner when
// the work its polls bring pushes events too. The five-minute scheduled
// trigger is a fresh root, so it re-roots a chain once it has made
// REROOT_AFTER_HOPS links: a new generation, due when the old link was.

/** Links after which the scheduled maintenance starts the chain afresh from its own (root) invocation. */
export const REROOT_AFTER_HOPS = 50;
/** A chain whose next link is this late (past its interval) is taken for dead and seeded anew. */
export const DEAD_AFTER_MS = 120_000;

export const PollChain = z.object({
  chainId: z.string(),
  hop: z.number().int().nonnegative(),
  /** When the next link is due. */
  nextAt: z.number(),
  startedAt: z.number(),
  /** The delay the next link was pushed with; absent in chains stored before polling adapted (20 s then). */
  intervalSeconds: z.number().nonnegative().optional(),
});
export type PollChain = z.infer<typeof PollChain>;

const pollChainRecord = recordKind({ name: 'poll chain', version: 1, schema: PollChain, key: pollChainKey });

export async function readPollChain(platform: Platform, connectionId: string): Promise<PollChain | undefined> {
  return pollChainRecord.find(platform, connectionId);
}

/** Starts a new chain whose first link runs in `delaySeconds`; any older chain dies at its next link. */
export async function seedPollChain(platform: Platform, connectionId: string, delaySeconds = 0): Promise<PollChain> {
  const now = platform.clock.now();
  const delay = Math.max(0, Math.ceil(delaySeconds));
  const chain: PollChain = { chainId: platform.random.uuid(), hop: 0, nextAt: now + delay * 1000, startedAt: now, intervalSeconds: delay };
  await platform.kvs.set(pollChainKey(connectionId), chain);
  await pushWork(platform, { kind: 'transport.poll', connectionId, chainId: chain.chainId, hop: 0 }, delay);
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
  const next: PollChain = { ...chain, hop, nextAt: platform.clock.now() + intervalSeconds * 1000, intervalSeconds };
  await platform.kvs.set(pollChainKey(connectionId), next);
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

/** A chain's next link is so late that it was lost (an event dropped, a link that died between its writes). */
export function chainIsDead(chain: PollChain, now: number): boolean {
  return chain.nextAt + DEAD_AFTER_MS < now;
}

/**
 * What the scheduled maintenance does with a connection's chain: `seed` when there is none or it died;
 * `reroot` when it is alive but has made enough links that, at its fastest, it could reach Forge's chain
 * limit before the maintenance after next; else nothing.
 */
export function chainVerdict(chain: PollChain | undefined, now: number): 'seed' | 'reroot' | 'healthy' {
  if (!chain || chainIsDead(chain, now)) return 'seed';
  if (chain.hop >= REROOT_AFTER_HOPS) return 'reroot';
  return 'healthy';
}

/** A new generation due when the current chain's next link is, so the cadence carries on unchanged. */
export async function rerootPollChain(platform: Platform, connectionId: string, chain: PollChain): Promise<PollChain> {
  return seedPollChain(platform, connectionId, Math.max(0, (chain.nextAt - platform.clock.now()) / 1000));
}

export async function stopPollChain(platform: Platform, connectionId: string): Promise<void> {
  await platform.kvs.delete(pollChainKey(connectionId));
}
