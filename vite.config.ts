// Vite builds the renderer (the studio UI and the performance harness page) into dist/renderer/.
// `base: './'` keeps asset URLs relative so the same build loads from file:// in Electron and
// from the browser-mode server.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, 'renderer');

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { index: resolve(root, 'index.html'), harness: resolve(root, 'harness.html') },
    },
  },
  server: { host: '127.0.0.1' },
});
