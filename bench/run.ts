import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BulkFigures } from './bulk';
import { ceiling, costPerMillionEdits } from './derived';
import type { EditCost, SideCost } from './edit-cost';
import { FORGE_LIMITS } from '../src/local/forge/limits';
import { benchPrivateLatency, benchPublicLatency } from './latency';
import { summarize, type ProfileSummary } from './profile-summary';
import { benchRules } from './rules';
import type { PrivatePollingFigures } from './private-polling';
import type { StreamFigures } from './edit-stream';

// `npm run bench`: every figure DESIGN.md's performance targets name, in one
// run, printed as a table and written to bench/results.json; then both worlds
// side by side, the local runtime (no latency) and the Forge latency profile
// (virtual time), with what one synced edit costs on each side, the edits per
// minute one installation sustains before a Forge limit binds, and the cost
// per million synced edits. `npm run bench -- --quick` runs smaller samples
// (no private-connection run, 200-issue bulks) in a few minutes.

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const log = (line: string) => console.log(line);
const began = Date.now();
const quick = process.argv.includes('--quick');
const SIZES = quick ? { publicEdits: 100, bulk: 200, costEdits: 30, privateEdits: 40, idleHours: 1 } : { publicEdits: 500, bulk: 1_000, costEdits: 100, privateEdits: 150, idleHours: 6 };

/** The lean-sync-path targets, per steady-state synced edit and side, and the ceiling of one installation. */
const LEAN = { storageCalls: 12, readUnits: 6, writeUnits: 6, invocations: 2, asyncEvents: 0.5, editsPerMinute: 600 };

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
const BULK = SIZES.bulk;
const MINIMUM_CALLS = { blue: 3 + 1 / 50 + 2 / BULK, green: 5 + 7 / BULK };

function bulkInChild(issues: number, profileDir?: string, latencyProfile: 'local' | 'forge' = 'local'): BulkFigures {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-out-')), 'bulk.json');
  const args = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), join(here, 'bulk.ts'), String(issues), out, latencyProfile];
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

/** Each run patches `Date` with its virtual clock, so it gets a process of its own. */
function editCostInChild(latencyProfile: 'local' | 'forge', edits: number): EditCost {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-out-')), 'edit-cost.json');
  execFileSync(process.execPath, ['--import', 'tsx', join(here, 'edit-cost.ts'), latencyProfile, String(edits), out], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return JSON.parse(readFileSync(out, 'utf8')) as EditCost;
}

log(`\n[1/9] rule execution, default scripts${quick ? ' (--quick: smaller samples)' : ''}`);
const rules = await benchRules();

log(`[2/9] public connection latency, ${SIZES.publicEdits} edits`);
const publicLatency = await benchPublicLatency(SIZES.publicEdits);

log(quick ? '[3/9] private connection latency: skipped (--quick)' : '[3/9] private connection latency, 500 edits, adaptive polling (2 s while busy; about 2 minutes)');
const privateLatency = quick ? undefined : await benchPrivateLatency(500, log);

log(`[4/9] Bulk Exalate of ${BULK} issues (3 comments, 1 attachment each)${quick ? '' : ', then once more under the CPU profiler if it misses its target'}`);
const bulk = bulkInChild(BULK);
const profile = !quick && bulk.seconds > TARGETS.bulkSeconds ? profileOfBulk(BULK) : undefined;

/** A private connection on the virtual clock (bench/private-polling.ts), in a process of its own (it patches `Date`). */
function privatePollingInChild(destination: 'private' | 'public'): PrivatePollingFigures {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-out-')), 'private-polling.json');
  const idle = destination === 'private' ? SIZES.idleHours : 0.1;
  execFileSync(process.execPath, ['--import', 'tsx', join(here, 'private-polling.ts'), 'forge', String(SIZES.privateEdits), String(idle), out, destination], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return JSON.parse(readFileSync(out, 'utf8')) as PrivatePollingFigures;
}

log(`[5/9] cost of one synced edit, local profile (${SIZES.costEdits} steady-state summary edits, public connection)`);
const localCost = editCostInChild('local', SIZES.costEdits);
log(`[6/9] cost and latency of one synced edit, Forge profile (${SIZES.costEdits} edits, virtual time)`);
const forgeCost = editCostInChild('forge', SIZES.costEdits);
log(`[7/9] private connection under the Forge profile: ${SIZES.privateEdits} edits each way while busy, then ${SIZES.idleHours} h idle (virtual time); the same edits over a public connection`);
const forgePrivate = privatePollingInChild('private');
const forgePublicBaseline = privatePollingInChild('public');
log(`[8/9] Bulk Exalate of ${BULK} issues under the Forge profile (virtual time; ${quick ? 'a minute or two' : 'about 6 minutes'} of wall time)`);
const forgeBulk = bulkInChild(BULK, undefined, 'forge');

/** The measured ceiling (bench/edit-stream.ts), in a process of its own (it patches `Date`). */
function editStreamInChild(): StreamFigures {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-out-')), 'edit-stream.json');
  const rates = quick ? ['300', '600', '900'] : [];
  execFileSync(process.execPath, ['--import', 'tsx', join(here, 'edit-stream.ts'), out, ...rates], { cwd: root, stdio: ['ignore', 'inherit', 'ignore'] });
  return JSON.parse(readFileSync(out, 'utf8')) as StreamFigures;
}
log(`[9/9] the ceiling measured: a stream of edits on blue rising a step a minute (virtual time) until a limit refuses a call or edits fall behind${quick ? ' (--quick: 300, 600, 900 a minute)' : ''}`);
const stream = editStreamInChild();
const derived = {
  basis: 'per-edit counts of the Forge-profile run (the local run counts the same calls; its GB-seconds are compute alone)',
  ceiling: ceiling(forgeCost.perEdit),
  cost: costPerMillionEdits(forgeCost.perEdit),
  costLocalProfile: costPerMillionEdits(localCost.perEdit),
};

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const rows: [string, string, string, string][] = [
  ['rules per sync (default outgoing + incoming), ready / cold ctx (median)', `${rules.perSyncReady.medianMs.toFixed(3)} / ${rules.perSyncCold.medianMs.toFixed(3)} ms`, `median ≤ ${TARGETS.rulesMedianMs} ms`, verdict(rules.meetsTarget)],
  ['rules per sync, ready, empty scripts on a bare issue (floor)', `${rules.floorPerSyncReady.medianMs.toFixed(3)} ms`, '', ''],
  ['rules, outgoing / incoming script alone, ready ctx (median)', `${rules.outgoingReady.medianMs.toFixed(3)} / ${rules.incomingReady.medianMs.toFixed(3)} ms`, '', ''],
  ['rules per sync, ratio to node:vm fresh / reused (ready)', `${(rules.perSyncReady.medianMs / rules.v8FreshPerSync.medianMs).toFixed(2)} / ${(rules.perSyncReady.medianMs / rules.v8ReusedPerSync.medianMs).toFixed(1)}`, '', ''],
  ['rules per sync, node:vm fresh / reused (median)', `${rules.v8FreshPerSync.medianMs.toFixed(3)} / ${rules.v8ReusedPerSync.medianMs.toFixed(3)} ms`, '', ''],
  ['public edit→visible p50 / p95 / p99', `${publicLatency.p50Ms} / ${publicLatency.p95Ms} / ${publicLatency.p99Ms} ms`, `p50 ≤ ${TARGETS.publicP50Ms}, p99 ≤ ${TARGETS.publicP99Ms}`, verdict(publicLatency.p50Ms <= TARGETS.publicP50Ms && publicLatency.p99Ms <= TARGETS.publicP99Ms)],
  ...(privateLatency
    ? ([
        [`private (polls every ${privateLatency.polling.activeSeconds} s while busy) p50 / p95 / p99`, `${privateLatency.blueToGreen.p50Ms} / ${privateLatency.blueToGreen.p95Ms} / ${privateLatency.blueToGreen.p99Ms} ms`, `p50 ≤ ${privateLatency.polling.activeSeconds * 500 + TARGETS.privateP50ExtraMs} ms`, verdict(privateLatency.blueToGreen.p50Ms <= privateLatency.polling.activeSeconds * 500 + TARGETS.privateP50ExtraMs)],
        ['private exchange (private side edits) p50 / p99', `${privateLatency.exchange.p50Ms} / ${privateLatency.exchange.p99Ms} ms`, `model p50 ${privateLatency.modelP50Ms} ms`, ''],
      ] as [string, string, string, string][])
    : []),
  [`bulk ${bulk.issues} issues → all on green`, `${bulk.seconds} s (${bulk.issuesPerSecond} issues/s)`, `≤ ${TARGETS.bulkSeconds} s`, verdict(bulk.seconds <= TARGETS.bulkSeconds && bulk.arrivedOnGreen === bulk.issues)],
  ['REST calls per synced issue, blue / green', `${bulk.restCallsPerIssue.blue} / ${bulk.restCallsPerIssue.green}`, `min ${MINIMUM_CALLS.blue.toFixed(3)} / ${MINIMUM_CALLS.green.toFixed(3)} (+1)`, verdict(bulk.restCallsPerIssue.blue <= MINIMUM_CALLS.blue + 1 && bulk.restCallsPerIssue.green <= MINIMUM_CALLS.green + 1)],
  ['peak RSS, runtime + both sites under bulk', `${bulk.peakRssMb} MB`, `< ${TARGETS.rssMb} MB`, verdict(bulk.peakRssMb < TARGETS.rssMb)],
];
log('');
const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) log(`${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2].padEnd(widths[2]!)}  ${r[3]}`);
log(`REST calls by operation (bulk), blue: ${JSON.stringify(bulk.byOperation.blue)}`);
log(`REST calls by operation (bulk), green: ${JSON.stringify(bulk.byOperation.green)}`);
if (bulk.perIssue) log(`storage per bulk issue, blue: ${JSON.stringify(bulk.perIssue.blue)}; green: ${JSON.stringify(bulk.perIssue.green)}`);
if (profile) {
  log(`bulk under the profiler: ${profile.seconds} s; self time by area (top):`);
  for (const a of profile.summary.byArea) log(`  ${String(a.share).padStart(5)}%  ${a.area}`);
}

// Both worlds side by side.
const sideBySide: [string, string, string][] = [
  ['', 'local profile', 'Forge profile'],
  ['public edit → partner p50 / p95 / p99 (ms)', `${localCost.latency.p50Ms} / ${localCost.latency.p95Ms} / ${localCost.latency.p99Ms}`, `${forgeCost.latency.p50Ms} / ${forgeCost.latency.p95Ms} / ${forgeCost.latency.p99Ms}`],
  [`bulk ${BULK} issues → all on green`, `${bulk.seconds} s`, `${forgeBulk.seconds} s virtual (${forgeBulk.wallSeconds} s wall; ${forgeBulk.arrivedOnGreen} arrived)`],
];
const costRows = (label: string, pick: (c: SideCost) => string) => sideBySide.push([label, `${pick(localCost.perEdit.blue)} | ${pick(localCost.perEdit.green)}`, `${pick(forgeCost.perEdit.blue)} | ${pick(forgeCost.perEdit.green)}`]);
costRows('per edit, blue | green: storage calls', (c) => String(c.storageCalls.total));
costRows('  get / set / delete / query / transaction / batch', (c) => `${c.storageCalls.get}/${c.storageCalls.set}/${c.storageCalls.delete}/${c.storageCalls.query}/${c.storageCalls.transaction}/${c.storageCalls.batchGet + c.storageCalls.batchSet + c.storageCalls.batchDelete}`);
costRows('  read units / write units', (c) => `${c.readUnits} / ${c.writeUnits}`);
costRows('  bytes read / written', (c) => `${c.bytesRead} / ${c.bytesWritten}`);
costRows('  invocations (trigger/webtrigger/consumer/resolver)', (c) => `${c.invocations.total} (${c.invocations.trigger}/${c.invocations.webtrigger}/${c.invocations.consumer}/${c.invocations.resolver})`);
costRows('  async events pushed', (c) => String(c.asyncEvents));
costRows('  Jira REST calls', (c) => String(c.jiraCalls));
costRows(`  Jira quota points (${FORGE_LIMITS.jira.pointsPerHour.toLocaleString('en-US')} an hour)`, (c) => String(c.jiraPoints));
costRows(`  function GB-seconds (${forgeCost.functionMemoryMb} MB)`, (c) => String(c.gbSeconds));
log('\nBoth worlds (per-edit figures: steady-state summary edits over a public connection; Forge profile in virtual time)');
const sw = [0, 1].map((c) => Math.max(...sideBySide.map((r) => r[c]!.length)));
for (const r of sideBySide) log(`${r[0].padEnd(sw[0]!)}  ${r[1].padEnd(sw[1]!)}  ${r[2]}`);
log('\nLean sync path, per steady-state synced edit (Forge profile), blue | green, beside the targets');
for (const [label, pick, target] of [
  ['storage calls', (c: SideCost) => c.storageCalls.total, LEAN.storageCalls],
  ['read units', (c: SideCost) => c.readUnits, LEAN.readUnits],
  ['write units', (c: SideCost) => c.writeUnits, LEAN.writeUnits],
  ['invocations', (c: SideCost) => c.invocations.total, LEAN.invocations],
  ['async events', (c: SideCost) => c.asyncEvents, LEAN.asyncEvents],
] as [string, (c: SideCost) => number, number][]) {
  const [b, g] = [pick(forgeCost.perEdit.blue), pick(forgeCost.perEdit.green)];
  log(`  ${label.padEnd(14)} ${String(b).padStart(6)} | ${String(g).padEnd(6)}  ≤ ${target}  ${verdict(b <= target && g <= target)}`);
}
log(`\nceiling measured (bench/edit-stream.ts, local profile, ${stream.issues} synced issues, ${stream.graceSeconds} s grace a step):`);
for (const st of stream.steps) {
  const u = st.unitsPerEdit;
  log(`  ${String(st.editsPerMinute).padStart(5)} edits/min: ${st.behind} issues behind, read/write units per edit blue ${u.blue.read}/${u.blue.write}, green ${u.green.read}/${u.green.write}, limits hit ${JSON.stringify(st.limitsHit)}${st.sustained ? '' : '  — not sustained'}`);
}
log(`  sustained: ${stream.ceiling} synced edits a minute  target ≥ ${LEAN.editsPerMinute}  ${verdict(stream.ceiling >= LEAN.editsPerMinute)}; bound by ${stream.boundBy.join(', ') || 'nothing within the steps run'}; every edit arrived in the end: ${stream.allArrived ? 'yes' : 'NO'}`);
log(`ceiling derived from the per-edit counts: ${derived.ceiling.editsPerMinute} synced edits per minute per installation; ${derived.ceiling.binds} binds first (${derived.ceiling.side} side)`);
for (const r of derived.ceiling.rates.filter((x) => Number.isFinite(x.editsPerMinute)).slice(0, 6)) log(`  ${r.limit} (${r.side}): ${r.perEdit} per edit → ${r.editsPerMinute} edits/min`);
const c = derived.cost.perMillionEdits;
log(`cost per million synced edits (both sides): $${c.total} = functions $${c.functions} + KVS reads $${c.kvsReads} + KVS writes $${c.kvsWrites}`);
log(`  at ${derived.cost.priceList}; local-profile GB-seconds would give $${derived.costLocalProfile.perMillionEdits.total}`);

const pp = forgePrivate;
const fmt = (n: number) => n.toLocaleString('en-US');
log(`\nPrivate connection, Forge profile (virtual time; an edit every 2–10 s, alternating sides, so it stays busy; polls every ${pp.polling.activeSeconds} s while busy)`);
log(`  public side's edit → private side p50 / p95 / p99: ${pp.publicToPrivate.p50Ms} / ${pp.publicToPrivate.p95Ms} / ${pp.publicToPrivate.p99Ms} ms  target p50 ≤ ${pp.targetP50Ms} ms  ${verdict(pp.publicToPrivate.p50Ms <= pp.targetP50Ms)}`);
log(`  private side's edit → public side p50 / p95 / p99: ${pp.privateToPublic.p50Ms} / ${pp.privateToPublic.p95Ms} / ${pp.privateToPublic.p99Ms} ms  target p50 ≤ ${pp.targetP50Ms} ms  ${verdict(pp.privateToPublic.p50Ms <= pp.targetP50Ms)}`);
log(`  the same edits over a public connection, p50 blue → green / green → blue: ${forgePublicBaseline.publicToPrivate.p50Ms} / ${forgePublicBaseline.privateToPublic.p50Ms} ms`);
const day = pp.idle.perDay;
log(`  idle polling, per connection per day (both sides, ${pp.idle.hoursMeasured} h measured, the five-minute maintenance included):`);
log(`    ${fmt(day.polls)} polls; ${fmt(day.invocations.total)} invocations (${fmt(day.invocations.consumer)} consumer, ${fmt(day.invocations.webtrigger)} web trigger, ${fmt(day.invocations.scheduled)} scheduled); ${fmt(day.storageCalls)} storage calls`);
log(`    ${fmt(day.asyncEvents)} async events (Forge: ${fmt(pp.idle.forgePerDay.asyncEvents)} a day at 500 a minute); ${fmt(day.readUnits)} read units and ${fmt(day.writeUnits)} write units (Forge: ${fmt(pp.idle.forgePerDay.readUnits)} each a day); ${day.gbSeconds} GB-seconds`);
log(`  busy: ${pp.activeEventsPerMinute} poll events a minute per connection; all chains together stay within ${pp.pollEventsPerMinuteBudget} of Forge's 500 a minute`);

const results = {
  measuredAt: new Date().toISOString(),
  machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
  targets: TARGETS,
  rules,
  quick,
  latency: { public: publicLatency, ...(privateLatency ? { private: privateLatency } : {}) },
  bulk: { ...bulk, minimumCallsPerIssue: MINIMUM_CALLS, profile },
  profiles: {
    local: { editCost: localCost },
    forge: { editCost: forgeCost, bulk: forgeBulk, privateConnection: forgePrivate, privateBaselinePublic: forgePublicBaseline },
  },
  derived,
  stream,
  benchSeconds: Math.round((Date.now() - began) / 1000),
};
// A quick run keeps the full run's figures in results.json and writes its own beside them.
const resultsFile = quick ? 'results.quick.json' : 'results.json';
writeFileSync(join(here, resultsFile), `${JSON.stringify(results, null, 2)}\n`);
log(`\nwritten bench/${resultsFile} (whole bench ${results.benchSeconds} s, load average at the end ${results.machine.loadAverageAtEnd.join(' ')})`);
