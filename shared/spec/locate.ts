// Maps a key path (`service.api.ports[0]`, `expect.span[2].attrs.all`) to where it is written in
// the TOML source, so every schema error and warning can carry a line and column. A path that is
// not written literally (a missing required key) falls back to its nearest written ancestor.
import { formatPath, parsePath, type PathSegment } from './path';
import { scanToml, type Position, type ScanResult } from './toml-scan';

export interface Location {
  line: number;
  column: number;
  /** True when the position is the exact key; false when it is an ancestor's (e.g. a missing key). */
  exact: boolean;
}

export class Locator {
  readonly scan: ScanResult;
  constructor(readonly source: string) {
    this.scan = scanToml(source);
  }

  /** Position of the key itself (or the header/element). */
  key(path: string | readonly PathSegment[]): Location {
    return this.find(path, false);
  }

  /** Position of the value (where a wrong value is written). */
  value(path: string | readonly PathSegment[]): Location {
    return this.find(path, true);
  }

  has(path: string | readonly PathSegment[]): boolean {
    return this.scan.positions.has(typeof path === 'string' ? formatPath(parsePath(path)) : formatPath(path));
  }

  private find(path: string | readonly PathSegment[], wantValue: boolean): Location {
    const segments = typeof path === 'string' ? parsePath(path) : path;
    for (let i = segments.length; i > 0; i--) {
      const hit: Position | undefined = this.scan.positions.get(formatPath(segments.slice(0, i)));
      if (hit) {
        const exact = i === segments.length;
        return exact && wantValue
          ? { line: hit.valueLine, column: hit.valueColumn, exact }
          : { line: hit.line, column: hit.column, exact };
      }
    }
    return { line: 1, column: 1, exact: false };
  }
}

export function locate(source: string, path: string): Location {
  return new Locator(source).key(path);
}
