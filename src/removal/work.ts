import { z } from 'zod';
import type { Platform } from '../ports';

// Queue work of data removal; every kind starts with `removal.`. Kept apart
// from the steps themselves so the code that starts a removal (a resolver,
// the scheduled trigger) needs only this light module.

export const PurgeWork = z.object({
  kind: z.literal('removal.purge'),
  connectionId: z.string(),
  /** The chain named on the connection record; absent for an orphan purge (no record left). */
  chainId: z.string().optional(),
  /** Index into the connection's key families (src/removal/families.ts) where this step starts. */
  family: z.number().int().nonnegative(),
  /**
   * Where a scan of a family shared by all connections stopped (a KVS cursor, used within minutes and
   * never stored: if the store refuses it, the scan starts that family again).
   */
  cursor: z.string().optional(),
  /** The second pass, after every invocation that could still write for the connection has ended. */
  final: z.boolean().optional(),
});
export type PurgeWork = z.infer<typeof PurgeWork>;

export const SweepWork = z.object({
  kind: z.literal('removal.sweep'),
  chainId: z.string(),
  /** Index into the probed families (src/removal/orphans.ts). */
  family: z.number().int().nonnegative(),
  cursor: z.string().optional(),
});
export type SweepWork = z.infer<typeof SweepWork>;

export const RemovalWork = z.discriminatedUnion('kind', [PurgeWork, SweepWork]);
export type RemovalWork = z.infer<typeof RemovalWork>;

export const isRemovalWork = (body: Record<string, unknown>): boolean => typeof body.kind === 'string' && body.kind.startsWith('removal.');

export async function pushRemovalWork(platform: Platform, work: RemovalWork, delayInSeconds?: number): Promise<void> {
  await platform.queue.push([{ body: work, ...(delayInSeconds ? { delayInSeconds: Math.min(900, Math.ceil(delayInSeconds)) } : {}) }]);
}

/** Starts removing everything stored for a connection, from its first key family. */
export async function startPurge(platform: Platform, connectionId: string, chainId?: string): Promise<void> {
  await pushRemovalWork(platform, { kind: 'removal.purge', connectionId, ...(chainId ? { chainId } : {}), family: 0 });
}
