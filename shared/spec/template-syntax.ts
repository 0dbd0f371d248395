// Tera syntax that nunjucks reads differently, handled before rendering, and error messages that name
// the construct. Translation never changes the number of lines, so error positions stay on the
// template's lines.
//
// Same in both (nothing to do): `{% raw %}`, `{#- -#}` / `{%- -%}` / `{{- -}}` whitespace control,
// `loop.index`/`index0`/`first`/`last`, `is defined` / `is not defined`, `~`, `in`, macros.
// Translated: `self::macro()` → `macro()` (nunjucks macros of the same file are plain names);
// top-level `{% set_global %}` → `{% set %}` (the same outside loops). `True`/`False` are context
// values (template.ts). Refused with the nunjucks form: `set_global` inside a loop, `break`, `continue`.
import type { Problem } from '../errors';
import { didYouMean } from './suggest';

export interface Translation {
  text: string;
  /**
   * `text` with every `{{ expr }}` as `{{ (expr) | lenient_value }}`, for the lenient first pass: an
   * undefined value prints `0`, which is valid TOML both bare (`timeout = {{ vars.t }}`) and in a string,
   * where an empty output would leave `timeout = ` and hide `[vars]` from the first pass.
   */
  lenientText: string;
  problem?: { message: string; index: number };
}

const TAG = /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;

export function translateTera(source: string): Translation {
  let loopDepth = 0;
  let problem: Translation['problem'];
  const lenient: string[] = [];
  let last = 0;
  const text = source.replace(TAG, (tag, index: number) => {
    lenient.push(source.slice(last, index));
    last = index + tag.length;
    const result = translateTag(tag, index);
    const output = /^(\{\{-?)([\s\S]*?)(-?\}\})$/.exec(result);
    lenient.push(output && output[2]!.trim() !== '' ? `${output[1]} (${output[2]}) | lenient_value ${output[3]}` : result);
    return result;
  });
  lenient.push(source.slice(last));
  return problem ? { text, lenientText: lenient.join(''), problem } : { text, lenientText: lenient.join('') };

  function translateTag(tag: string, index: number): string {
    if (tag.startsWith('{#') || /^\{%-?\s*raw\b/.test(tag)) return tag;
    const out = tag.replace(/\bself::(?=[A-Za-z_])/g, '');
    const keyword = /^\{%-?\s*([a-z_]+)/.exec(out)?.[1];
    if (keyword === 'for') loopDepth++;
    if (keyword === 'endfor') loopDepth = Math.max(0, loopDepth - 1);
    if (keyword === 'set_global') {
      if (loopDepth === 0) return out.replace('set_global', 'set       ');
      problem ??= {
        index,
        message:
          '`{% set_global %}` inside a loop changes a variable outside the loop; nunjucks cannot do that. Compute the value before the loop (a filter like `| map` or `| join`), or move the set out of the loop',
      };
    }
    if (keyword === 'break' || keyword === 'continue') {
      problem ??= {
        index,
        message: `\`{% ${keyword} %}\` (Tera) has no nunjucks equivalent: filter the list before the loop instead, e.g. {% for x in items if x.enabled %}`,
      };
    }
    return out;
  }
}

export function positionOf(source: string, index: number): { line: number; column: number } {
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/**
 * Where `name(` (or `| name` for a filter) is written: on nunjucks's line or the next (it counts
 * some lines from 0), else the first occurrence in the file.
 */
export function callPosition(source: string, name: string, filter: boolean, line?: number): { line: number; column: number } | undefined {
  const pattern = filter ? new RegExp(`\\|\\s*${name}\\b`) : new RegExp(`\\b${name}\\s*\\(`);
  const lines = source.split('\n');
  for (const candidate of line === undefined ? [] : [line, line + 1]) {
    const column = (lines[candidate - 1] ?? '').search(pattern);
    if (column >= 0) return { line: candidate, column: column + 1 };
  }
  const at = source.search(pattern);
  return at < 0 ? undefined : positionOf(source, at);
}

const LITERAL_HINT = "if it is meant literally, write {{ '{{' }} (or {{ '{#' }}) or wrap the text in {% raw %}…{% endraw %}";

/** The first `{#` that no `#}` closes (shell `${#VAR}` is the usual one). */
function unclosedComment(source: string): number | undefined {
  let from = 0;
  for (;;) {
    const open = source.indexOf('{#', from);
    if (open < 0) return undefined;
    const close = source.indexOf('#}', open + 2);
    if (close < 0) return open;
    from = close + 2;
  }
}

/**
 * A clearer message (and position) for nunjucks's terse errors, or undefined to keep its own.
 * `line`/`column` are nunjucks's position (1-based) when it gave one.
 */
export function explainTemplateError(
  detail: string,
  source: string,
  knownNames: { functions: Iterable<string>; filters: Iterable<string> },
  line?: number,
  column?: number,
): Pick<Problem, 'message' | 'line' | 'column'> | undefined {
  const lines = source.split('\n');
  const srcLine = line !== undefined ? (lines[line - 1] ?? '') : '';
  if (/expected end of comment/.test(detail)) {
    const at = unclosedComment(source);
    if (at === undefined) return undefined;
    const pos = positionOf(source, at);
    return { ...pos, message: `template error: \`{#\` opens a template comment that is never closed with \`#}\`; ${LITERAL_HINT}` };
  }
  const filter = /filter not found: (\w+)/.exec(detail)?.[1];
  if (filter !== undefined) {
    const at = source.search(new RegExp(`\\|\\s*${filter}\\b`));
    const pos = at >= 0 ? positionOf(source, at) : { line, column };
    const isFunction = [...knownNames.functions].includes(filter);
    const hint = isFunction ? ` (\`${filter}\` is a function: call it, e.g. ${filter}(s=value))` : didYouMean(filter, knownNames.filters);
    return { ...pos, message: `template error: unknown filter \`${filter}\`${hint}` };
  }
  const fn = /^Unable to call `([^`]+)`, which is undefined or falsey/.exec(detail)?.[1];
  if (fn !== undefined) {
    return { line, column, message: `template error: unknown template function \`${fn}()\` (clnrm has no such function)${didYouMean(fn, knownNames.functions)}` };
  }
  const tag = /unknown block tag: (\w+)/.exec(detail)?.[1];
  if (tag !== undefined) return { line, column, message: `template error: unknown tag \`{% ${tag} %}\` (neither Tera nor nunjucks has it here)` };
  if (/unexpected token: \}\}|expected variable end|expected block end/.test(detail) && line !== undefined) {
    const near = srcLine.slice(Math.max(0, (column ?? 1) - 12), (column ?? 1) + 12).trim();
    const inComment = srcLine.trimStart().startsWith('#') ? ' (this line is a TOML comment, but templates render comments too)' : '';
    return { line, column, message: `template error: ${detail} near \`${near}\`${inComment}; ${LITERAL_HINT}` };
  }
  return undefined;
}
