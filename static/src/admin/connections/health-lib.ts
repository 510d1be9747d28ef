// Wording of the health figures: shares as percentages, busy-hour use against
// Forge's and Jira's budgets, counts with their nouns.
import type { ConnectionHealth } from '../../schemas';

export function percent(share: number | null): string {
  if (share === null) return '–';
  const value = share * 100;
  if (value > 0 && value < 1) return '< 1 %';
  return `${Math.round(value)} %`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "1.5 units a minute in the busiest hour, 0.04 % of Forge's 4,000". */
export function storageBudget(storage: ConnectionHealth['storage']): string {
  const used = storage.busiestPerMinute;
  const ofBudget = (used / storage.budgetPerMinute) * 100;
  return `busiest hour ${used.toLocaleString('en-US')} units a minute, ${ofBudget < 0.01 && used > 0 ? '< 0.01' : +ofBudget.toFixed(2)} % of Forge's ${storage.budgetPerMinute.toLocaleString('en-US')}`;
}

export function jiraBudget(jira: ConnectionHealth['jira']): string {
  const ofQuota = (jira.busiestHourCalls / jira.pointsPerHour) * 100;
  return `busiest hour ${plural(jira.busiestHourCalls, 'call')}, at least ${ofQuota < 0.01 && jira.busiestHourCalls > 0 ? '< 0.01' : +ofQuota.toFixed(2)} % of the ${jira.pointsPerHour.toLocaleString('en-US')}-point hourly quota`;
}
