// Writing test files back: the canonical formatter behind `clnrm fmt` and the comment-keeping edit
// API (set/insert/remove keys and tables). Everything here is pure: it returns new text and a unified
// diff; main/spec/write.ts does the atomic write with undo.
import { createTwoFilesPatch } from 'diff';

export { formatToml, type FormatResult } from './writer/format';
export { insertTable, removeKey, removeTable, setKey, setTable, type EditResult } from './writer/edit';
export { tomlKey, tomlString, tomlValue } from './writer/toml-value';

/** Unified diff between two versions of a file ('' when equal). */
export function unifiedDiff(before: string, after: string, file = 'test.clnrm.toml'): string {
  return before === after ? '' : createTwoFilesPatch(file, file, before, after);
}
