import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const alias = { '@shared': resolve(__dirname, 'src-main/shared') };

/**
 * One config, three bundles. The main bundle has two entries: `index` (the Electron main process)
 * and `hub` (the plain-Node host), which must never pull in `electron` — a test loads it in Node.
 */
export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/hosts/electron/main.ts'),
          hub: resolve(__dirname, 'src-main/hosts/node/hub.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot be ES modules.
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    resolve: { alias },
    plugins: [react()],
    // Module workers (the scoring worker is created with type: 'module'); onnxruntime-web's wasm
    // pair is emitted as hashed assets from the worker's `?url` imports, served by the app itself.
    worker: { format: 'es' },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
