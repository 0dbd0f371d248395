// Splits a command string into argv the way clnrm does for string commands: whitespace separates,
// single quotes are literal, double quotes group, backslash escapes outside single quotes. No shell
// features (no globbing, no variables).

export type SplitResult = { ok: true; argv: string[] } | { ok: false; message: string };

export function splitCommand(command: string): SplitResult {
  const argv: string[] = [];
  let current = '';
  let started = false;
  let single = false;
  let double = false;
  let escaped = false;
  for (const ch of command) {
    if (escaped) {
      current += ch;
      escaped = false;
      continue;
    }
    if (ch === '\\' && !single) {
      escaped = true;
      started = true;
    } else if (ch === "'" && !double) {
      single = !single;
      started = true;
    } else if (ch === '"' && !single) {
      double = !double;
      started = true;
    } else if ((ch === ' ' || ch === '\t' || ch === '\n') && !single && !double) {
      if (started) argv.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (single) return { ok: false, message: 'has an unclosed single quote' };
  if (double) return { ok: false, message: 'has an unclosed double quote' };
  if (escaped) return { ok: false, message: 'ends with a lone backslash' };
  if (started) argv.push(current);
  if (argv.length === 0) return { ok: false, message: 'is empty' };
  return { ok: true, argv };
}
