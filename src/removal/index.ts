// Removing data: a deleted connection's keys (purge), keys nobody owns any
// more (orphan sweep), and the whole installation's on uninstall.
import type { Platform } from '../ports';
import { AppError } from '../domain/errors';
import { runSweep } from './orphans';
import { runPurge } from './purge';
import { RemovalWork } from './work';

export { isRemovalWork, startPurge } from './work';
export { runRemovalMaintenance } from './maintenance';
export { uninstallApp, type UninstallReport } from './uninstall';

export async function handleRemovalWork(platform: Platform, body: Record<string, unknown>): Promise<void> {
  const parsed = RemovalWork.safeParse(body);
  if (!parsed.success) throw new AppError('BadInput', `Unknown removal work "${String(body.kind)}".`);
  const work = parsed.data;
  if (work.kind === 'removal.purge') return runPurge(platform, work);
  return runSweep(platform, work);
}
