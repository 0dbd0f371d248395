// What the classifier reads out of an execution's records: the text a failure left (log tails, step
// output, span errors) searched for known signatures, and the span errors themselves. Pure.
import { findAttribute, toText, type Span } from '../model';
import type { ExecutionEvidence } from '../run/records';
import type { EvidenceItem } from './classes';

/** A refused, reset, unreachable or unresolvable peer: the network, not the code under test. */
export const NETWORK_SIGNATURE =
  /ECONNREFUSED|ECONNRESET|ECONNABORTED|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ETIMEDOUT|connection refused|connection reset|reset by peer|broken pipe|socket hang up|could not resolve host|temporary failure in name resolution|no route to host|network is unreachable|can't connect to remote host|bad address '|connection_(refused|reset|error|timeout)/i;

/** The kernel or a runtime saying memory ran out. */
export const MEMORY_SIGNATURE = /out of memory|outofmemory|cannot allocate memory|\bENOMEM\b|oom[-_ ]?kill|heap out of memory|memory limit exceeded|out_of_memory|cpu_limit/i;

/** The engine could not run the command at all: a name or path that is not there. */
export const COMMAND_SIGNATURE = /executable file not found|exec format error|: not found$|command not found|no such file or directory/i;

/** The engine itself is gone or answering nothing. */
export const ENGINE_SIGNATURE = /cannot connect to the docker daemon|docker\.sock|connect ENOENT|socket hang up.*docker|the engine went away/i;

/** One line of text a failure left behind, and where it was found. */
export interface FailureText {
  readonly kind: 'log' | 'step' | 'span' | 'problem' | 'container';
  readonly text: string;
  readonly ref: string;
}

const clip = (text: string, max = 200): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export interface SpanError {
  readonly spanId: string;
  readonly name: string;
  readonly errorType?: string;
  readonly message?: string;
}

/** Spans that report an error: status error, an `error.type`, or an `exception` event. */
export function spanErrors(spans: readonly Span[]): SpanError[] {
  const out: SpanError[] = [];
  for (const span of spans) {
    const errorType = findAttribute(span.attributes, 'error.type');
    const exception = span.events.find((e) => e.name === 'exception');
    if (span.status.code !== 'error' && !errorType && !exception) continue;
    const exceptionType = exception && findAttribute(exception.attributes, 'exception.type');
    const exceptionMessage = exception && findAttribute(exception.attributes, 'exception.message');
    const type = errorType ? toText(errorType) : exceptionType ? toText(exceptionType) : undefined;
    const message = exceptionMessage ? toText(exceptionMessage) : span.status.message;
    out.push({ spanId: span.spanId, name: span.name, ...(type ? { errorType: type } : {}), ...(message ? { message } : {}) });
  }
  return out;
}

/** Every line of text the failure left: problems, engine errors, container logs, failed steps' output, span errors. */
export function failureTexts(evidence: Pick<ExecutionEvidence, 'problems' | 'containers' | 'steps'>, errors: readonly SpanError[]): FailureText[] {
  const out: FailureText[] = [];
  for (const p of evidence.problems) out.push({ kind: 'problem', text: p.message, ref: p.code });
  for (const c of evidence.containers) {
    if (c.error) out.push({ kind: 'container', text: c.error, ref: c.service });
    for (const line of c.logTail) out.push({ kind: 'log', text: line, ref: c.service });
  }
  for (const s of evidence.steps) {
    if (s.verdict === 'passed') continue;
    for (const line of `${s.stdoutTail}\n${s.stderrTail}\n${s.message ?? ''}`.split('\n')) if (line.trim()) out.push({ kind: 'step', text: line, ref: s.name });
  }
  for (const e of errors) out.push({ kind: 'span', text: [e.name, e.errorType, e.message].filter(Boolean).join(': '), ref: e.spanId });
  return out;
}

/** The texts matching a signature, as evidence (at most `max`, first found first). */
export function matching(texts: readonly FailureText[], signature: RegExp, max = 3): EvidenceItem[] {
  return texts
    .filter((t) => signature.test(t.text))
    .slice(0, max)
    .map((t) => ({ kind: t.kind, detail: clip(t.text.trim()), ref: t.ref }));
}

export { clip };
