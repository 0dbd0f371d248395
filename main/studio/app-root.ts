// Finding the app's own folder (where package.json, dist/ and resources/ live) from any module
// location: the bundled dist/cli.js, the Electron bundle in dist/app/, or the sources under tests.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'cleanroom-studio';

/** The nearest folder at or above `start` whose package.json is ours; undefined when none is. */
export function findAppRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable package.json is not ours; keep looking upwards.
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export interface AppPaths {
  root: string;
  /** The built UI. */
  rendererDir: string;
  /** The bundled browser-mode client that installs `window.api` over the WebSocket. */
  browserClient: string;
  /** Sample trace files for the first-start demo. */
  samplesDir: string;
  /** Example test files. */
  examplesDir: string;
}

export function appPaths(root: string): AppPaths {
  return {
    root,
    rendererDir: join(root, 'dist', 'renderer'),
    browserClient: join(root, 'dist', 'studio-client', 'browser-api.js'),
    samplesDir: join(root, 'resources', 'samples'),
    examplesDir: join(root, 'examples'),
  };
}
