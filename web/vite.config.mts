/**
 * The operator console. `npm run dev:web`: Vite's dev server with hot reload, proxying the API
 * (started separately with `npm start`) so the session cookie stays same-origin.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.REGLAMENT_API ?? 'http://127.0.0.1:3000';
const API_PATHS = [
  '/session',
  '/tickets',
  '/regulations',
  '/faq',
  '/organizations',
  '/reports',
  '/inbox',
  '/mail',
  '/keys',
  '/users',
  '/views',
  '/events',
  '/openapi.json',
];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // React's automatic JSX runtime through Vite's own transformer (oxc).
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    reportCompressedSize: false,
    rolldownOptions: {
      // Mantine marks its modules "use client" (for React Server Components); meaningless in a SPA bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      API_PATHS.map((p) => [
        p,
        {
          target: api,
          changeOrigin: false,
          // Browser navigations (Accept: text/html) stay with Vite: they are the console's routes.
          bypass: (req: { headers: { accept?: string } }) =>
            req.headers.accept?.includes('text/html') ? '/index.html' : undefined,
        },
      ]),
    ),
  },
});
