import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * `npm run dev:renderer`: the React renderer with hot reload, talking to a running Node hub.
 * The hub's WebSocket (`/rpc`) is proxied, so the page and its RPC share one origin as in production.
 */
const hubPort = Number(process.env.WATCHFLOOR_PORT ?? 7420);
const devPort = Number(process.env.WATCHFLOOR_DEV_PORT ?? 5173);

/**
 * The dev server injects an inline module script (React Fast Refresh preamble) that the page's
 * strict CSP forbids. Only while serving, allow inline scripts; built pages keep the strict policy.
 */
const devCsp: Plugin = {
  name: 'watchfloor:dev-csp',
  apply: 'serve',
  transformIndexHtml: {
    order: 'pre',
    handler: (html) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
  },
};

export default defineConfig({
  root: fileURLToPath(new URL('../src-renderer', import.meta.url)),
  base: './',
  plugins: [react(), devCsp],
  // As in electron.vite.config.ts: module workers (the model-scoring worker).
  worker: { format: 'es' },
  resolve: {
    alias: { '@shared': fileURLToPath(new URL('../src-main/shared', import.meta.url)) },
  },
  server: {
    host: '127.0.0.1',
    port: devPort,
    strictPort: true,
    proxy: {
      // The hub accepts loopback Host and same-origin Origin only, so the proxy speaks as the hub's own page.
      '/rpc': {
        target: `http://127.0.0.1:${hubPort}`,
        ws: true,
        changeOrigin: true,
        headers: { origin: `http://127.0.0.1:${hubPort}` },
      },
    },
  },
});
