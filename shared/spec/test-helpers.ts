// Test helpers for the spec engine (used by *.test.ts only).
import type { Problem } from '../errors';
import { parseTestFile } from './parse';

/** A valid minimal file to append sections to. */
export const HEAD = `[meta]
name = "t"
version = "1"

[[scenario]]
name = "s"
run = "echo hi"
`;

/** `line:col code message` for compact assertions. */
export function brief(p: Problem): string {
  return `${p.line}:${p.column} ${p.code} ${p.message}`;
}

export function errorsOf(source: string, env: Record<string, string> = {}): string[] {
  return parseTestFile(source, { file: 't.clnrm.toml', env }).errors.map(brief);
}

export function warningsOf(source: string): string[] {
  return parseTestFile(source, { file: 't.clnrm.toml' }).warnings.map(brief);
}
