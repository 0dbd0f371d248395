// Opening a URL in the user's browser (xdg-open / open / start). Failing to open is a note for
// the terminal, never an error: the URL is printed anyway.
import { spawn } from 'node:child_process';

function opener(url: string, platform: NodeJS.Platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is a cmd.exe built-in; the empty string is the window title it expects first.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url] };
  return { command: 'xdg-open', args: [url] };
}

/**
 * Resolves to undefined when the opener started, or to a sentence saying why not. The opener's
 * command line (with the URL) is visible to every user: pass a link whose code the browser will
 * spend at once (see server/security.ts).
 */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const { command, args } = opener(url, platform);
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true, env });
    } catch (error) {
      resolve(`could not start ${command}: ${(error as Error).message}`);
      return;
    }
    child.once('error', (error: NodeJS.ErrnoException) => resolve(`could not start ${command} (${error.code ?? error.message})`));
    child.once('spawn', () => {
      child.unref();
      resolve(undefined);
    });
  });
}
