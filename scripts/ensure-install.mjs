// Installs dependencies when node_modules is missing or older than the lockfile,
// so that `npm start` and `npm test` work on a fresh clone with nothing else run first.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  console.log('Installing dependencies (npm ci)…');
  execSync('npm ci', { stdio: 'inherit' });
}
