// How the CLI names a file in its output: relative to the working folder when the file is inside
// it (short, clickable in editors), otherwise the absolute path, never `../../tmp/…`.
import { isAbsolute, relative, sep } from 'node:path';

export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return path;
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? path : rel;
}
