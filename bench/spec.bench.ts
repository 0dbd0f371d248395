// Parser, locator and formatter throughput on generated test files of growing size. Prints figures;
// asserts nothing (see STYLE.md: benchmarks print, tests assert).
import { formatToml, parseTestFile } from '../shared/spec';

function generate(spans: number): string {
  const parts = ['# generated', '[meta]', 'name = "bench"', 'version = "1"', '', '[service.api]', 'image = "alpine:3.20"', 'ports = [8080]', ''];
  parts.push('[[scenario]]', 'name = "s"', 'service = "api"', 'run = "true"', '');
  for (let i = 0; i < spans; i++) {
    parts.push('# a span', '[[expect.span]]', `name = "span.${i}"`, 'kind = "server"', `attrs.all = { "http.route" = "/r/${i}", "n" = "${i}" }`, 'duration_ms = { max = 500 }', '');
  }
  return parts.join('\n');
}

function time(fn: () => void, rounds: number): number {
  fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return (performance.now() - start) / rounds;
}

for (const spans of [10, 1_000, 10_000]) {
  const source = generate(spans);
  const rounds = spans >= 10_000 ? 3 : 20;
  const parseMs = time(() => {
    const r = parseTestFile(source);
    if (r.errors.length > 0) throw new Error(r.errors[0]!.message);
  }, rounds);
  const fmtMs = time(() => {
    const r = formatToml(source);
    if (!r.ok) throw new Error(r.problem.message);
  }, rounds);
  const kib = (source.length / 1024).toFixed(0);
  console.log(
    `${String(spans).padStart(6)} expect.span (${kib} KiB): parse+validate ${parseMs.toFixed(1)} ms (${((source.length / 1024 / 1024) / (parseMs / 1000)).toFixed(1)} MiB/s), fmt ${fmtMs.toFixed(1)} ms`,
  );
}
