// bench:import — `clnrm import` of a generated OTLP JSON file holding one 100,000-span trace
// (wall and CPU time, spans/s, peak RSS of the CLI process), then `clnrm trace ID --format json|otlp` of
// that trace (wall and CPU time, peak RSS), each as its own `node bin/clnrm.js` process. Builds dist/
// first (BENCH_NO_BUILD=1 skips it); BENCH_CLNRM=path/to/bin/clnrm.js measures another checkout.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, openSync, closeSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { prettyOtlpJsonLines, spanGroups } from '../shared/otlp';
import type { Span } from '../shared/model';
import { realisticBatch } from './ingest-payloads';

const SPANS = Number(process.env.IMPORT_SPANS ?? 100_000);
const TRACE_ID = 'feedc0de'.repeat(4);
const root = join(import.meta.dirname, '..');
const cli = process.env.BENCH_CLNRM ?? join(root, 'bin', 'clnrm.js');
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** One trace: realistic batches of 500 spans, re-identified into TRACE_ID. */
function oneTrace(): Span[] {
  const spans: Span[] = [];
  for (let seed = 1; spans.length < SPANS; seed++) {
    for (const span of realisticBatch(seed, Math.min(500, SPANS - spans.length))) spans.push({ ...span, traceId: TRACE_ID });
  }
  return spans;
}

async function writeFile(path: string, spans: readonly Span[]): Promise<void> {
  const out = createWriteStream(path);
  for await (const line of prettyOtlpJsonLines(spanGroups(spans))) if (!out.write(line + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Runs the CLI with `args`; stdout goes to /dev/null. Returns wall and CPU seconds and peak RSS in MB. */
async function measure(args: string[]): Promise<{ seconds: number; cpuSeconds: number; rssMb: number }> {
  const devNull = openSync('/dev/null', 'w');
  const started = performance.now();
  const child = spawn(process.execPath, ['-r', join(import.meta.dirname, 'max-rss.cjs'), cli, ...args], { stdio: ['ignore', devNull, 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  closeSync(devNull);
  if (code !== 0) throw new Error(`clnrm ${args.join(' ')} exited with ${code}: ${stderr}`);
  const usage = /BENCH_USAGE (\d+) (\d+)/.exec(stderr);
  if (!usage) throw new Error(`no usage line from clnrm ${args.join(' ')}`);
  return { seconds, cpuSeconds: Number(usage[2]) / 1e6, rssMb: Number(usage[1]) / 1024 };
}

if (!process.env.BENCH_CLNRM && !process.env.BENCH_NO_BUILD) {
  console.log('building dist/ (node scripts/build.mjs) so bin/clnrm.js runs this checkout…');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'ignore' });
  if (built.status !== 0) throw new Error('node scripts/build.mjs failed');
}
const dir = mkdtempSync(join(tmpdir(), 'clnrm-import-bench-'));
try {
  const file = join(dir, 'trace-100k.json');
  await writeFile(file, oneTrace());
  const mb = statSync(file).size / 1024 / 1024;
  console.log(`${cli}: one trace of ${fmt(SPANS)} spans, ${mb.toFixed(0)} MB of OTLP JSON (load average ${loadavg()[0]!.toFixed(1)})`);
  const data = join(dir, 'db');
  const imported = await measure(['import', file, '--data-dir', data]);
  console.log(
    `  clnrm import: ${imported.seconds.toFixed(2)} s wall, ${fmt(SPANS / imported.seconds)} spans/s; ` +
      `${imported.cpuSeconds.toFixed(2)} s CPU (all threads), ${fmt(SPANS / imported.cpuSeconds)} spans per CPU-second; peak RSS ${fmt(imported.rssMb)} MB`,
  );
  for (const format of ['json', 'otlp']) {
    const shown = await measure(['trace', TRACE_ID, '--format', format, '--data-dir', data]);
    console.log(`  clnrm trace ID --format ${format}: ${shown.seconds.toFixed(2)} s wall, ${shown.cpuSeconds.toFixed(2)} s CPU, peak RSS ${fmt(shown.rssMb)} MB`);
  }
  console.log(`  (load average now ${loadavg()[0]!.toFixed(1)}; figures are wall-clock and depend on it)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
