// Builds the renderer with Vite and serves dist/renderer on a random 127.0.0.1 port for the e2e
// specs (they read STUDIO_E2E_URL). Returns the teardown that closes the server.
import { build } from 'vite';
import { resolve } from 'node:path';
import { serveStatic } from '../bench/ui-server';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = resolve(import.meta.dirname, '..');
  await build({ configFile: resolve(root, 'vite.config.ts'), logLevel: 'warn' });
  const server = await serveStatic(resolve(root, 'dist/renderer'));
  process.env.STUDIO_E2E_URL = server.url;
  return () => server.close();
}
