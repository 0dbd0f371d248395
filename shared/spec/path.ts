// Key paths inside a test file, in the one spelling every error uses: `service.api.ports[0]`,
// `expect.status.by_name."http.request"`. Keys that are not bare TOML keys are JSON-quoted.

export type PathSegment = string | number;

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = BARE_KEY.test(segment) ? segment : JSON.stringify(segment);
      out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}

/** Splits a formatted path back into segments; the inverse of `formatPath` for well-formed input. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i]!;
    if (ch === '.') {
      i++;
    } else if (ch === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed [ in path ${path}`);
      segments.push(Number(path.slice(i + 1, end)));
      i = end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1;
      segments.push(JSON.parse(path.slice(i, j + 1)) as string);
      i = j + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      segments.push(path.slice(i, j));
      i = j;
    }
  }
  return segments;
}
