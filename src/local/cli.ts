import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { startLocalRuntime } from './runtime';

// `npm start`: build what is missing, then serve both sites on one port.

const args = new Set(process.argv.slice(2));
const port = Number(process.env.PORT ?? 8080);

if (!existsSync('static/dist/index.html') || args.has('--build')) {
  console.log('Building the custom UI (static/dist)…');
  execSync('npm run build:ui', { stdio: 'inherit' });
}

const runtime = await startLocalRuntime({
  port,
  reset: args.has('--reset'),
  scheduleEveryMs: Number(process.env.SCHEDULE_EVERY_MS ?? 5 * 60_000),
});

console.log(`\nLocal sandbox running at ${runtime.url}\n`);
for (const site of runtime.sites.values()) {
  console.log(`  ${site.name.padEnd(6)} Jira shell     ${runtime.url}/${site.name}/`);
  console.log(`         Jira REST v3   ${runtime.url}/${site.name}/rest/api/3/`);
  console.log(`         Exalate admin  ${runtime.url}/${site.name}/apps/exalate-admin/connections`);
  console.log(`         Exalate URL    ${runtime.forge.webTriggerUrl(site.name, 'partner-endpoint')}`);
  console.log(`         Resolvers      POST ${runtime.url}/${site.name}/bridge/invoke {"key": "...", "payload": {...}}`);
}
console.log('\nData is kept in .data/ across restarts; `npm start -- --reset` starts afresh. Ctrl+C stops.');

const shutdown = async () => {
  await runtime.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
