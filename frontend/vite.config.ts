/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API and WebSocket base URLs are not baked in: public/config.js is loaded at runtime and a deployment
// replaces it (see README.md). In `npm run dev`, same-origin requests are proxied to a local omsd.
const backend = process.env.OMS_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1024 },
  server: {
    proxy: {
      '/api': backend,
      '/health': backend,
      '/ws': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // The machine is shared (2 cores, Go builds beside); the first test of a file also pays for imports.
    testTimeout: 15_000,
  },
});
