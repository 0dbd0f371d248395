// Repairs proposed for a classified failure, as edits of the test file's text: each with what it
// changes, why (the class and the evidence that led to it), the new text and a unified diff. Only the
// edited lines change (shared/spec/writer keeps every other byte). Pure: main/healing verifies each
// by rerunning the test with it applied to a copy before it is offered as verified.
import { parseToml } from '../spec/toml-parse';
import { setKey } from '../spec/writer';
import type { Classification } from './classes';
import { widenDurationBounds } from './repair-duration';
import { edited, table, type Repair, type RepairInput } from './repair-kit';
import { runInSequence } from './repair-sequence';
import { raiseHealthRetries, waitForRefusedPort } from './repair-wait';

export { REPAIR_KINDS, type ObservedDurations, type Repair, type RepairInput, type RepairKind } from './repair-kit';

/** Default growth of a memory limit after an OOM kill (the seed's example multiplier). */
export const DEFAULT_RESOURCE_MULTIPLIER = 1.5;

const ATTRIBUTE_IN_DIFF = /attribute ([^\s=]+) (?:changed from|\(was)|new attribute ([^\s=]+) =/g;

/** Attribute keys the determinism diff (in the classification's evidence) saw change between iterations. */
export function differingAttributes(c: Classification): string[] {
  const keys = new Set<string>();
  for (const e of c.evidence) {
    if (e.kind !== 'determinism') continue;
    for (const m of e.detail.matchAll(ATTRIBUTE_IN_DIFF)) keys.add((m[1] ?? m[2])!);
  }
  return [...keys];
}

function excludeAttributes(input: RepairInput, parsed: Record<string, unknown>): Repair | undefined {
  const keys = differingAttributes(input.classification);
  const existing = table(parsed, 'determinism')?.exclude_fields;
  const kept = Array.isArray(existing) ? existing.filter((k): k is string => typeof k === 'string') : [];
  const added = keys.filter((k) => !kept.includes(k));
  if (added.length === 0) return undefined;
  const edit = setKey(input.source, 'determinism', 'exclude_fields', [...kept, ...added], input.file);
  if (!edit.ok) return undefined;
  return edited('exclude-nondeterministic-attributes', input, edit.text, `exclude ${added.map((k) => `\`${k}\``).join(', ')} from the determinism hash ([determinism] exclude_fields)`, input.classification.evidence.filter((e) => e.kind === 'determinism').map((e) => e.detail));
}

function raiseMemory(input: RepairInput, parsed: Record<string, unknown>): Repair | undefined {
  const current = table(parsed, 'limits')?.memory_mb;
  if (typeof current !== 'number' || current <= 0) return undefined;
  const multiplier = input.resourceMultiplier ?? DEFAULT_RESOURCE_MULTIPLIER;
  const raised = Math.ceil(current * multiplier);
  const edit = setKey(input.source, 'limits', 'memory_mb', raised, input.file);
  if (!edit.ok) return undefined;
  const evidence = input.classification.evidence.filter((e) => e.kind === 'container' || e.kind === 'step').map((e) => `${e.detail}${e.ref ? ` [${e.ref}]` : ''}`);
  return edited('raise-memory-limit', input, edit.text, `raise [limits] memory_mb from ${current} to ${raised} (× ${multiplier}) after the OOM kill`, evidence);
}

const UNKNOWN_KEY = /^unknown key `([^`]+)` in `[^`]*` — did you mean `([^`]+)`\?/;

/** Renames a misspelt key in place: the same line, only the key's characters change. */
function fixUnknownKeys(input: RepairInput): Repair[] {
  const out: Repair[] = [];
  for (const w of input.warnings ?? []) {
    const m = w.code === 'toml.unknown-key' ? UNKNOWN_KEY.exec(w.message) : null;
    if (!m || w.line === undefined || w.column === undefined) continue;
    const lines = input.source.split('\n');
    const line = lines[w.line - 1];
    const at = w.column - 1;
    if (line === undefined || line.slice(at, at + m[1]!.length) !== m[1]) continue;
    lines[w.line - 1] = line.slice(0, at) + m[2]! + line.slice(at + m[1]!.length);
    const text = lines.join('\n');
    if (!parseToml(text, input.file).ok) continue;
    const fixed = edited('fix-unknown-key', input, text, `rename the unknown key \`${m[1]}\` to \`${m[2]}\` (line ${w.line})`, [w.message]);
    if (fixed) out.push(fixed);
  }
  return out;
}

/** The repairs this failure's class and evidence point to (none when nothing in the file can be changed for it). */
export function proposeRepairs(input: RepairInput): Repair[] {
  const parsed = parseToml(input.source, input.file);
  if (!parsed.ok) return [];
  const found: (Repair | undefined)[] = [];
  if (input.classification.class === 'determinism_violation') found.push(excludeAttributes(input, parsed.value));
  if (input.classification.class === 'resource_exhaustion') found.push(raiseMemory(input, parsed.value));
  found.push(...waitForRefusedPort(input, parsed.value), ...raiseHealthRetries(input, parsed.value));
  found.push(...widenDurationBounds(input, parsed.value), runInSequence(input, parsed.value));
  // A misspelt key can be behind any failure (an expectation that never applied, a limit never set).
  found.push(...fixUnknownKeys(input));
  return found.filter((r): r is Repair => r !== undefined);
}
