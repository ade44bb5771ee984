// Two pages from one build: the operator console at / and the driver portal at /drive.
// Everything lands in dist/ with hashed names under assets/ (served immutable by gridlane).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No inline script: the pages run under script-src 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        console: resolve(import.meta.dirname, 'index.html'),
        drive: resolve(import.meta.dirname, 'drive/index.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8180' } },
});
