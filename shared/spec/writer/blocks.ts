// Splits TOML source into a preamble and one block per table header, so the formatter can reorder
// whole tables and the edit API can replace one table without touching the rest. Comment lines
// directly above a header (no blank line between) belong to that header's block.
import { scanToml, type HeaderInfo, type ScanResult } from '../toml-scan';

export interface Block {
  /** 0-based first line (its attached comments included). */
  start: number;
  /** 0-based header line. */
  headerLine: number;
  /** 0-based line after the block. */
  end: number;
  header: HeaderInfo;
}

export interface BlockLayout {
  lines: string[];
  scan: ScanResult;
  /** Lines [0, preambleEnd) come before the first block. */
  preambleEnd: number;
  blocks: Block[];
  /** Line indices that continue a multi-line value (never reformatted). */
  continuation: Set<number>;
}

const isComment = (line: string) => /^\s*#/.test(line);

export function layoutOf(source: string): BlockLayout {
  const lines = source.split('\n');
  const scan = scanToml(source);
  const continuation = new Set<number>();
  for (const k of scan.keyLines) for (let i = k.lineIndex + 1; i <= k.endLineIndex; i++) continuation.add(i);
  const starts = scan.headers.map((h) => {
    let start = h.lineIndex;
    while (start > 0 && isComment(lines[start - 1]!) && !continuation.has(start - 1)) start--;
    // Comments that open the file describe the file, not the first table: they stay in the preamble.
    return start === 0 ? h.lineIndex : start;
  });
  const blocks: Block[] = scan.headers.map((header, i) => ({
    start: starts[i]!,
    headerLine: header.lineIndex,
    end: i + 1 < starts.length ? starts[i + 1]! : lines.length,
    header,
  }));
  return { lines, scan, preambleEnd: blocks[0]?.start ?? lines.length, blocks, continuation };
}
