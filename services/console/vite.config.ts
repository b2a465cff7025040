import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Static files for the gateway to serve at `/`: hashed names under assets/ (cached immutably),
// index.html (never cached). No inline script, so the gateway's CSP can say script-src 'self'.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
