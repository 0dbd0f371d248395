// Parses test files in a worker thread, with a deadline and a memory cap. Templates are untrusted:
// shared/spec/template-guard.ts keeps them data-only and counts their work; this is the outer wall.
// A parse that still runs too long or grows too big is terminated, and no parse ever blocks the thread
// that serves the receiver, the studio's API or a run. One thread, reused and asked one file at a time
// (the first start loads the template libraries; later files cost a message each).
import type { Worker } from 'node:worker_threads';
import type { Problem } from '../../shared/errors';
import type { ParseOptions, ParseResult } from '../../shared/spec';
import { startWorker } from '../store/engine-backend';

/**
 * How long one file may take to parse: 10 s, plus 5 s per MiB of text (validating plain TOML runs at
 * about 0.5 MiB/s in bench:spec, and a test file may have 4 MiB). A clnrm file takes milliseconds;
 * the template budgets stop most runaways long before.
 */
export const PARSE_DEADLINE_MS = 10_000;
const DEADLINE_SECONDS_PER_MIB = 5;

export function parseDeadlineMs(source: string): number {
  return PARSE_DEADLINE_MS + Math.round((source.length / (1024 * 1024)) * DEADLINE_SECONDS_PER_MIB) * 1000;
}
/** The parse thread's heap. */
export const PARSE_MEMORY_MB = 512;
// Starting the thread (loading faker, nunjucks, zod; under tsx also compiling them) on a busy machine.
const START_DEADLINE_MS = 60_000;

export interface ParseRequest {
  id: number;
  source: string;
  options: ParseOptions;
}
export type ParseReply = { id: number; result: ParseResult } | { id: number; failure: string };

let configuredEntry: URL | undefined;

/** The desktop shell (a CommonJS bundle, without import.meta) says where dist/parse-worker.js is. */
export function setParseWorkerEntry(entry: URL): void {
  configuredEntry = entry;
}

function workerEntry(): URL {
  if (configuredEntry) return configuredEntry;
  // Beside this module: parse-worker.ts under tsx, dist/parse-worker.js beside the bundled CLI.
  const here = import.meta.url as string | undefined;
  if (!here) throw new Error('the parse thread has no entry file: call setParseWorkerEntry first');
  return new URL(here.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', here);
}

interface ParseThread {
  worker: Worker;
  ready: Promise<void>;
}

let thread: ParseThread | undefined;
let queue: Promise<unknown> = Promise.resolve();
let nextId = 1;

function startThread(): ParseThread {
  const worker = startWorker(workerEntry(), { resourceLimits: { maxOldGenerationSizeMb: PARSE_MEMORY_MB } });
  // An idle parse thread never keeps `clnrm validate` from exiting.
  worker.unref();
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`it exited with code ${code}`)));
  });
  ready.catch(() => undefined);
  const started = { worker, ready };
  const forget = (): void => {
    if (thread === started) thread = undefined;
  };
  // Also between files: a thread that fails while idle is forgotten, never an unhandled 'error'.
  worker.on('exit', forget).on('error', forget);
  return started;
}

function stopThread(stopped: ParseThread): void {
  if (thread === stopped) thread = undefined;
  void stopped.worker.terminate();
}

function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`it did not start within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** `parseTestFile` in the parse thread; a file that exceeds the deadline or the memory cap gets `template.limit`. */
export function parseInThread(source: string, options: ParseOptions = {}, deadlineMs = parseDeadlineMs(source)): Promise<ParseResult> {
  const request = { source, options: { ...options, ...(options.env ? { env: { ...options.env } } : {}) } };
  const parsed = queue.then(() => parseOnce(request, deadlineMs));
  queue = parsed.catch(() => undefined);
  return parsed;
}

async function parseOnce(request: Omit<ParseRequest, 'id'>, deadlineMs: number): Promise<ParseResult> {
  const file = request.options.file;
  const failed = (problem: Problem): ParseResult => ({ tests: [], errors: [problem], warnings: [] });
  let current: ParseThread;
  try {
    current = thread ??= startThread();
    await deadline(current.ready, START_DEADLINE_MS);
  } catch (error) {
    if (thread) stopThread(thread);
    return failed({ code: 'internal', message: `the thread that reads test files could not start: ${error instanceof Error ? error.message : String(error)}`, file });
  }
  const id = nextId++;
  const { worker } = current;
  return new Promise<ParseResult>((resolve) => {
    const finish = (result: ParseResult): void => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      worker.unref();
      resolve(result);
    };
    const timer = setTimeout(() => {
      stopThread(current);
      finish(failed({ code: 'template.limit', message: `reading the file took longer than ${deadlineMs / 1000} s and was stopped (a template that loops or recurses too long?)`, file }));
    }, deadlineMs);
    const onMessage = (reply: ParseReply): void => {
      if (reply.id !== id) return;
      finish('result' in reply ? reply.result : failed({ code: 'internal', message: `reading the file failed: ${reply.failure}`, file }));
    };
    const onError = (error: Error & { code?: string }): void => {
      stopThread(current);
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish(
        failed(
          outOfMemory
            ? { code: 'template.limit', message: `reading the file needed more than ${PARSE_MEMORY_MB} MB and was stopped (a template that builds too much?)`, file }
            : { code: 'internal', message: `the thread that reads test files failed: ${error.message}`, file },
        ),
      );
    };
    const onExit = (code: number): void => finish(failed({ code: 'internal', message: `the thread that reads test files stopped (exit code ${code})`, file }));
    worker.on('message', onMessage).once('error', onError).once('exit', onExit);
    worker.ref();
    worker.postMessage({ id, ...request } satisfies ParseRequest);
  });
}
