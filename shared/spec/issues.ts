// Turns zod issues into Problems with a position: the message names the key path and the shape
// that was expected, e.g. "`service.api.ports` must be an array of integers like [8080], not a string".
import type { z } from 'zod';
import type { Problem } from '../errors';
import type { Locator } from './locate';
import { formatPath, type PathSegment } from './path';
import { tomlTypeOf } from './schema/common';

const STARTS_WITH_VERB = /^(must|is |are |needs|should|cannot|has )/;

function messageFor(issue: z.core.$ZodIssue, path: string): string {
  let text = issue.message;
  // zod's own wording ("Invalid input: expected string, received number") reads as a type dump.
  const generic = /^Invalid input: expected (\w+), received (\w+)$/.exec(text);
  if (generic) text = issue.input === undefined ? `is required (${generic[1]})` : `must be ${generic[1]}, not ${tomlTypeOf(issue.input)}`;
  else if (text === 'Invalid input' && issue.input === undefined) text = 'is required';
  if (!path) return text;
  return STARTS_WITH_VERB.test(text) ? `\`${path}\` ${text}` : `${text} (at \`${path}\`)`;
}

type Issue = z.core.$ZodIssue;

/**
 * A union's own message is vague when the value had the right kind but a wrong part inside
 * (`[[expect.span]]` with `kind = 3`): report the inner issues of the member the value matched.
 */
function expandUnions(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  const stack = [...issues].reverse();
  while (stack.length > 0) {
    const issue = stack.pop()!;
    if (issue.code === 'invalid_union' && 'errors' in issue && Array.isArray(issue.errors)) {
      const branch = issue.errors.find(
        (errs) => errs.length > 0 && !errs.some((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_union')),
      );
      if (branch) {
        for (const inner of [...branch].reverse()) stack.push({ ...inner, path: [...issue.path, ...inner.path] } as Issue);
        continue;
      }
    }
    out.push(issue);
  }
  return out;
}

/** Issues whose path lies under one of `suppressed` are dropped (a common-mistake error already covers them). */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  locator: Locator,
  file: string | undefined,
  suppressed: readonly string[] = [],
): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const issue of expandUnions(issues)) {
    const segments = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    const path = formatPath(segments);
    if (suppressed.some((s) => path === s || path.startsWith(s + '.') || path.startsWith(s + '['))) continue;
    const message = messageFor(issue, path);
    if (seen.has(message)) continue;
    seen.add(message);
    const loc = issue.input === undefined ? locator.key(segments) : locator.value(segments);
    out.push({ code: 'toml.shape', message, file, line: loc.line, column: loc.column, path });
  }
  return out;
}
