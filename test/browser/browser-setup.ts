import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { forgetUiIndexHtml } from '../../src/local/forge/host-page';

// What every browser test starts with: the UI built as users get it, and
// Debian's Chromium, headless.

export const root = resolve(import.meta.dirname, '../..');

/** Builds the UI as `npm run build:ui` does, outside vitest's NODE_ENV=test (which would pick React's development build). */
export function buildUi(): void {
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'static/vite.config.ts', '--logLevel', 'error'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  forgetUiIndexHtml();
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
