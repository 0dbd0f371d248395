// smol-toml with errors as Problems: `toml.syntax` (or `toml.duplicate` for a key/table defined
// twice) at the line and column smol-toml reports, with a hint that says what to fix.
import { parse, TomlError } from 'smol-toml';
import type { Problem } from '../errors';

const HINTS: [RegExp, string][] = [
  [/control characters are not allowed in strings|unterminated|unfinished string/i, 'a string is not closed on this line: add the closing quote, or use """ for a multi-line string'],
  [/invalid value/i, 'the value is missing or not valid TOML: strings need quotes (key = "text"), arrays use [ ], tables { }'],
  [/expected comma or end of structure/i, 'an array or inline table is not closed, or items lack a comma between them'],
  [/redefine/i, 'this key or table is already defined above: merge the two definitions into one'],
  [/newline/i, 'put each key = value on its own line'],
];

export type TomlParseResult = { ok: true; value: Record<string, unknown> } | { ok: false; problem: Problem };

export function parseToml(source: string, file?: string): TomlParseResult {
  try {
    return { ok: true, value: parse(source) as Record<string, unknown> };
  } catch (error) {
    if (!(error instanceof TomlError)) {
      return { ok: false, problem: { code: 'toml.syntax', message: `not valid TOML: ${String(error)}`, file } };
    }
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
    const hint = HINTS.find(([re]) => re.test(reason))?.[1];
    const duplicate = /redefine/i.test(reason);
    return {
      ok: false,
      problem: {
        code: duplicate ? 'toml.duplicate' : 'toml.syntax',
        message: `${reason}${hint ? `: ${hint}` : ''}`,
        file,
        line: error.line,
        column: error.column,
      },
    };
  }
}
