import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDirFromArgs, lockDataDir } from './data-dir';
import { LatencyProfileNameSchema } from './forge/latency-profile';
import { startLocalRuntime } from './runtime';

// `npm start`: build what is missing, then serve both sites on one port.
//   --data-dir DIR (or DATA_DIR=DIR)  where this sandbox keeps its data (default .data/)
//   --reset                           start from the seed: clears this sandbox's databases in DIR, nothing else
//   --no-limits                       Forge's rate limits off, for debugging only
//   --profile local|forge             forge: Forge's latencies at the platform boundary (docs/forge-limits.md)
//   --build                           rebuild the custom UI first

const argv = process.argv.slice(2);
const args = new Set(argv);
const port = Number(process.env.PORT ?? 8080);
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = dataDirFromArgs(argv, process.env, join(projectRoot, '.data'));
const limits = !args.has('--no-limits');
const profileAt = argv.indexOf('--profile');
const profileArg = argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length) ?? (profileAt >= 0 ? argv[profileAt + 1] : undefined);
const profile = LatencyProfileNameSchema.safeParse(profileArg ?? process.env.PROFILE ?? 'local');
if (!profile.success) {
  console.error(`--profile takes local or forge, not "${profileArg}"`);
  process.exit(1);
}

if (!existsSync('static/dist/index.html') || args.has('--build')) {
  console.log('Building the custom UI (static/dist)…');
  execSync('npm run build:ui', { stdio: 'inherit' });
}

// Two sandboxes on one directory would run each other's queued work: one directory, one sandbox.
let releaseDataDir: () => void;
try {
  releaseDataDir = lockDataDir(dataDir);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
const runtime = await startLocalRuntime({
  port,
  dataDir,
  reset: args.has('--reset'),
  limits,
  profile: profile.data,
  scheduleEveryMs: Number(process.env.SCHEDULE_EVERY_MS ?? 5 * 60_000),
});

console.log(`\nLocal sandbox running at ${runtime.url}\n`);
for (const site of runtime.sites.values()) {
  console.log(`  ${site.name.padEnd(6)} Jira shell     ${runtime.url}/${site.name}/`);
  console.log(`         Jira REST v3   ${runtime.url}/${site.name}/rest/api/3/`);
  console.log(`         Exalate admin  ${runtime.url}/${site.name}/apps/exalate-admin/connections`);
  console.log(`         Exalate URL    ${runtime.forge.webTriggerUrl(site.name, 'partner-endpoint')}`);
  console.log(`         Resolvers      POST ${runtime.url}/${site.name}/bridge/invoke {"key": "...", "payload": {...}}`);
  console.log(`         Usage          GET ${runtime.url}/${site.name}/_local/usage (POST …/_local/usage/reset)`);
}
console.log(`\nData directory: ${dataDir}`);
console.log('Kept across restarts; `npm start -- --reset` starts afresh (only this sandbox\'s databases there), `--data-dir DIR` runs another sandbox beside this one.');
console.log(
  limits
    ? "Forge's limits are enforced, as on Forge (docs/forge-limits.md); `--no-limits` turns the rate limits off for debugging."
    : "WARNING: Forge's rate limits are OFF (--no-limits). For debugging only: what works here may be refused on Forge.",
);
if (profile.data === 'forge') console.log("Latency profile: forge (storage, Jira, queue pickup, web triggers, product events and search take Forge's time; docs/forge-limits.md).");
console.log('Ctrl+C stops.');

const shutdown = async () => {
  await runtime.stop();
  releaseDataDir();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
