// The text `clnrm suggest` prints: what was learned from (runs, structures, error patterns), which
// existing expectations the runs contradict, and the suggestions grouped by kind with id, support,
// confidence, evidence and snippet; or the same as JSON.
import { SUGGESTION_KINDS, type Suggestion, type SuggestionReport } from '../../shared/intelligence';

const pct = (f: number) => `${Math.round(f * 100)}%`;
const EVIDENCE_SHOWN = 4;

function suggestionLines(s: Suggestion, runs: number): string[] {
  const when = s.conditional ? ' (when present)' : '';
  const lines = [`  ${s.id}  ${s.summary}${when}`, `    support ${s.support}/${runs} runs, confidence ${s.confidence.toFixed(4)}`];
  if (s.evidence.length) lines.push(`    evidence: ${s.evidence.slice(0, EVIDENCE_SHOWN).join(', ')}${s.evidence.length > EVIDENCE_SHOWN ? `, +${s.evidence.length - EVIDENCE_SHOWN}` : ''}`);
  if (s.conflict) lines.push(`    CONFLICT: ${s.conflict} (never written)`);
  lines.push(...s.snippet.split('\n').map((l) => `    ${l}`));
  return lines;
}

/** `minFrequency`: structures rarer than this share of runs are counted, not listed (pattern_min_frequency). */
export function humanReport(report: SuggestionReport, shown: string, thresholds: { minConfidence: number; minSupport: number; minFrequency: number }): string[] {
  const out: string[] = [];
  const given = report.groups.reduce((n, g) => n + g.runs.length, 0);
  out.push(`Learned from ${report.runs} run(s)${given !== report.runs ? ` of ${given} (one structure group)` : ''}, ${report.spans} spans, for ${shown}.`);
  out.push(`Structures (root operation + span tree): ${report.groups.length}`);
  const common = report.groups.filter((g) => g.frequency >= thresholds.minFrequency);
  for (const g of common.slice(0, 10)) out.push(`  ${pct(g.frequency).padStart(4)}  ${g.runs.length} run(s)  ${g.roots.join(', ')}  (${g.spanCount} spans)  ${g.id.slice(0, 8)}`);
  if (common.length < report.groups.length) out.push(`  (${report.groups.length - common.length} rarer than pattern_min_frequency ${thresholds.minFrequency} not listed)`);
  if (report.errorPatterns.length) {
    out.push(`Error patterns: ${report.errorPatterns.length}`);
    for (const p of report.errorPatterns.slice(0, 10)) out.push(`  ${pct(p.frequency).padStart(4)}  ${p.runs.length} run(s)  ${p.errors.join('; ')}  [${p.evidence.slice(0, 3).join(', ')}]`);
  }
  if (report.conflicts.length) {
    out.push(`Expectations in the file that these runs contradict: ${report.conflicts.length}`);
    for (const c of report.conflicts) out.push(`  ✗ ${c.expectation} fails in ${c.failedRuns.length} of ${report.runs} run(s): ${c.message}`);
  }
  for (const d of report.dropped) out.push(`  (internal) ${d.id} failed on ${d.runs.length} of the runs it was mined from; dropped`);
  const n = report.suggestions.length;
  out.push(
    `Suggestions: ${n} (confidence ≥ ${thresholds.minConfidence}, support ≥ ${thresholds.minSupport})` +
      (report.belowThreshold ? `; ${report.belowThreshold} more mined below the threshold (lower --min-confidence to see them)` : ''),
  );
  for (const kind of SUGGESTION_KINDS) {
    const ofKind = report.suggestions.filter((s) => s.kind === kind);
    if (ofKind.length === 0) continue;
    out.push('', `${kind} (${ofKind.length})`);
    for (const s of ofKind) out.push(...suggestionLines(s, report.runs));
  }
  if (n) out.push('', 'Write them with --write (all listed) or --accept ID... (the named ones).');
  return out;
}

export function jsonReport(report: SuggestionReport, shown: string, written?: { ids: readonly string[]; skipped: readonly string[]; diff: string }): string {
  return JSON.stringify(
    {
      file: shown,
      runs: report.runs,
      spans: report.spans,
      groups: report.groups,
      errorPatterns: report.errorPatterns,
      conflicts: report.conflicts,
      belowThreshold: report.belowThreshold,
      dropped: report.dropped,
      suggestions: report.suggestions.map(({ merge: _merge, ...s }) => s),
      ...(written ? { written } : {}),
    },
    null,
    2,
  );
}
