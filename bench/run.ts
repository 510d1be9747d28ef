import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BulkFigures } from './bulk';
import { benchPrivateLatency, benchPublicLatency } from './latency';
import { summarize, type ProfileSummary } from './profile-summary';
import { benchRules } from './rules';

// `npm run bench`: every figure DESIGN.md's performance targets name, in one
// run, printed as a table and written to bench/results.json.

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const log = (line: string) => console.log(line);
const began = Date.now();

const TARGETS = { rulesMedianMs: 0.3, publicP50Ms: 150, publicP99Ms: 1_000, privateP50ExtraMs: 150, bulkSeconds: 30, rssMb: 300, callsAboveMinimum: 1 };

/**
 * The fewest Jira REST calls a first sync of one issue with three comments and
 * one attachment can make. Blue: read the issue with its comments and
 * attachment list (1), fetch the attachment's bytes (1), mark the issue as
 * synced in its issue property (1); the bulk query's pages add 1/50. Green:
 * create the issue (1; its property goes in the create call), add each comment
 * (3; Jira has no bulk comment create), upload the attachment (1). Once per
 * run, spread over its issues: blue's field list and approximate count (2),
 * green's field list and the lookups its rules use (7); cached after that.
 */
const BULK = 1_000;
const MINIMUM_CALLS = { blue: 3 + 1 / 50 + 2 / BULK, green: 5 + 7 / BULK };

function bulkInChild(issues: number, profileDir?: string): BulkFigures {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-out-')), 'bulk.json');
  const args = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), join(here, 'bulk.ts'), String(issues), out];
  execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return JSON.parse(readFileSync(out, 'utf8')) as BulkFigures;
}

function profileOfBulk(issues: number): { seconds: number; summary: ProfileSummary } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prof-'));
  const figures = bulkInChild(issues, dir);
  // The main thread's profile is the largest; tsx's loader thread is idle.
  const main = readdirSync(dir)
    .map((f) => join(dir, f))
    .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!;
  return { seconds: figures.seconds, summary: summarize(JSON.parse(readFileSync(main, 'utf8')), 10) };
}

// The machine is shared: the load average says how much else ran beside the bench.
const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
log(`bench on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadAtStart.join(' ')}`);

log('\n[1/4] rule execution, default scripts');
const rules = await benchRules();

log('[2/4] public connection latency, 500 edits');
const publicLatency = await benchPublicLatency(500);

log('[3/4] private connection latency, 500 edits at the 20 s poll interval (about 2 minutes)');
const privateLatency = await benchPrivateLatency(500, log);

log(`[4/4] Bulk Exalate of ${BULK} issues (3 comments, 1 attachment each), then once more under the CPU profiler`);
const bulk = bulkInChild(BULK);
const profile = bulk.seconds > TARGETS.bulkSeconds ? profileOfBulk(BULK) : undefined;

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const rows: [string, string, string, string][] = [
  ['rules per sync (default outgoing + incoming), ready / cold ctx (median)', `${rules.perSyncReady.medianMs.toFixed(3)} / ${rules.perSyncCold.medianMs.toFixed(3)} ms`, `median ≤ ${TARGETS.rulesMedianMs} ms`, verdict(rules.meetsTarget)],
  ['rules per sync, ready, empty scripts on a bare issue (floor)', `${rules.floorPerSyncReady.medianMs.toFixed(3)} ms`, '', ''],
  ['rules, outgoing / incoming script alone, ready ctx (median)', `${rules.outgoingReady.medianMs.toFixed(3)} / ${rules.incomingReady.medianMs.toFixed(3)} ms`, '', ''],
  ['rules per sync, ratio to node:vm fresh / reused (ready)', `${(rules.perSyncReady.medianMs / rules.v8FreshPerSync.medianMs).toFixed(2)} / ${(rules.perSyncReady.medianMs / rules.v8ReusedPerSync.medianMs).toFixed(1)}`, '', ''],
  ['rules per sync, node:vm fresh / reused (median)', `${rules.v8FreshPerSync.medianMs.toFixed(3)} / ${rules.v8ReusedPerSync.medianMs.toFixed(3)} ms`, '', ''],
  ['public edit→visible p50 / p95 / p99', `${publicLatency.p50Ms} / ${publicLatency.p95Ms} / ${publicLatency.p99Ms} ms`, `p50 ≤ ${TARGETS.publicP50Ms}, p99 ≤ ${TARGETS.publicP99Ms}`, verdict(publicLatency.p50Ms <= TARGETS.publicP50Ms && publicLatency.p99Ms <= TARGETS.publicP99Ms)],
  [`private (poll ${privateLatency.pollIntervalSeconds} s) p50 / p95 / p99`, `${privateLatency.blueToGreen.p50Ms} / ${privateLatency.blueToGreen.p95Ms} / ${privateLatency.blueToGreen.p99Ms} ms`, `p50 ≤ ${privateLatency.pollIntervalSeconds * 500 + TARGETS.privateP50ExtraMs} ms`, verdict(privateLatency.blueToGreen.p50Ms <= privateLatency.pollIntervalSeconds * 500 + TARGETS.privateP50ExtraMs)],
  ['private exchange (private side edits) p50 / p99', `${privateLatency.exchange.p50Ms} / ${privateLatency.exchange.p99Ms} ms`, `model p50 ${privateLatency.modelP50Ms} ms`, ''],
  [`bulk ${bulk.issues} issues → all on green`, `${bulk.seconds} s (${bulk.issuesPerSecond} issues/s)`, `≤ ${TARGETS.bulkSeconds} s`, verdict(bulk.seconds <= TARGETS.bulkSeconds && bulk.arrivedOnGreen === bulk.issues)],
  ['REST calls per synced issue, blue / green', `${bulk.restCallsPerIssue.blue} / ${bulk.restCallsPerIssue.green}`, `min ${MINIMUM_CALLS.blue.toFixed(3)} / ${MINIMUM_CALLS.green.toFixed(3)} (+1)`, verdict(bulk.restCallsPerIssue.blue <= MINIMUM_CALLS.blue + 1 && bulk.restCallsPerIssue.green <= MINIMUM_CALLS.green + 1)],
  ['peak RSS, runtime + both sites under bulk', `${bulk.peakRssMb} MB`, `< ${TARGETS.rssMb} MB`, verdict(bulk.peakRssMb < TARGETS.rssMb)],
];
log('');
const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) log(`${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2].padEnd(widths[2]!)}  ${r[3]}`);
log(`REST calls by operation (bulk), blue: ${JSON.stringify(bulk.byOperation.blue)}`);
log(`REST calls by operation (bulk), green: ${JSON.stringify(bulk.byOperation.green)}`);
if (profile) {
  log(`bulk under the profiler: ${profile.seconds} s; self time by area (top):`);
  for (const a of profile.summary.byArea) log(`  ${String(a.share).padStart(5)}%  ${a.area}`);
}

const results = {
  measuredAt: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
  targets: TARGETS,
  rules,
  latency: { public: publicLatency, private: privateLatency },
  bulk: { ...bulk, minimumCallsPerIssue: MINIMUM_CALLS, profile },
  benchSeconds: Math.round((Date.now() - began) / 1000),
};
writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
log(`\nwritten bench/results.json (whole bench ${results.benchSeconds} s, load average at the end ${results.machine.loadAverageAtEnd.join(' ')})`);
