import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

// One custom UI bundle for every module. Forge serves it from its own resource
// host under an unknown path, and the local runtime from /ui/, so every asset
// URL must be relative (`base: './'`).
export default defineConfig({
  root,
  base: './',
  publicDir: 'public',
  plugins: [react()],
  // Atlaskit's icon glyphs ship as CommonJS with `__esModule`; this app's
  // sources sit in a `"type": "module"` package, where Vite 8 would otherwise
  // hand a default import the whole `exports` object instead of the component.
  legacy: { inconsistentCjsInterop: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
});
