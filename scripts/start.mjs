// `npm start` (after `node scripts/build.mjs`): opens the desktop app with Electron. Where the
// Electron binary is missing (installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1, machines that cannot
// download it) it says so in one line and starts the browser mode (`clnrm studio`) instead.
// Extra arguments go to `clnrm studio` in browser mode (e.g. `npm start -- --demo --no-open`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** The Electron executable, or a reason it cannot be used. */
function findElectron() {
  try {
    // The electron package's main export is the path of its binary; it throws when the binary was never installed.
    const path = createRequire(join(root, 'package.json'))('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: `the Electron binary is not installed (${path})` };
  } catch {
    return { missing: 'the Electron binary is not installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?)' };
  }
}

/** Runs a child with our terminal and resolves with its exit code. */
function runChild(command, childArgs) {
  const child = spawn(command, childArgs, { cwd: root, stdio: 'inherit' });
  // Ctrl+C and a closed terminal (SIGHUP) reach the child from the terminal itself (same process group).
  // SIGTERM may be sent to us alone, so it is passed on; when it went to the whole group (`timeout`,
  // a service manager) the child gets it twice, which clnrm takes calmly (main/cli/index.ts).
  process.on('SIGINT', () => undefined);
  process.on('SIGHUP', () => undefined);
  process.on('SIGTERM', () => child.exitCode === null && child.kill('SIGTERM'));
  return new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`start: cannot run ${command}: ${error.message}`);
      resolve(2);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const electron = findElectron();
let code;
if (electron.path && !process.env.CLNRM_BROWSER_MODE) {
  code = await runChild(electron.path, [root]);
} else {
  const why = electron.path ? 'CLNRM_BROWSER_MODE is set' : electron.missing;
  console.log(`start: ${why}; opening the browser mode instead (clnrm studio).`);
  code = await runChild(process.execPath, [join(root, 'bin', 'clnrm.js'), 'studio', ...args]);
}
process.exit(code);
