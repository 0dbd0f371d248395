// clnrm's `expected_output_regex` is Rust `regex` syntax. Most of it is JavaScript RegExp syntax too;
// the common difference is leading inline flags (`(?i)success`), which JavaScript takes as flags.

export type RegexResult = { ok: true; regex: RegExp } | { ok: false; message: string };

export function compileClnrmRegex(pattern: string): RegexResult {
  let source = pattern;
  let flags = 'u';
  const inline = /^\(\?([imsxU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    if (inline[1]!.includes('i')) flags += 'i';
    if (inline[1]!.includes('m')) flags += 'm';
    if (inline[1]!.includes('s')) flags += 's';
  }
  try {
    return { ok: true, regex: new RegExp(source, flags) };
  } catch (error) {
    try {
      // Without the u flag JavaScript accepts more escapes (e.g. `\-` outside classes).
      return { ok: true, regex: new RegExp(source, flags.replace('u', '')) };
    } catch {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }
}
