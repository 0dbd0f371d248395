// Where the studio keeps its trace database when the user names no folder: the platform's
// per-user application-data directory (XDG on Linux, Application Support on macOS, %APPDATA% on Windows).
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const APP_FOLDER = 'cleanroom-studio';

export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER);
  const xdg = env.XDG_DATA_HOME;
  // XDG says relative paths are invalid and must be ignored.
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), APP_FOLDER);
}

/** The folder a command uses: `--data-dir` (relative to the command's cwd) or the default. */
export function resolveDataDir(option: string | undefined, cwd: string, env: Readonly<Record<string, string | undefined>>): string {
  if (option === undefined || option === '') return defaultDataDir(env);
  return isAbsolute(option) ? option : resolve(cwd, option);
}
