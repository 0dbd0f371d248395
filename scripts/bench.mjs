// `npm run bench`: every benchmark in turn (each prints its own figures). `npm run bench -- expect ingest`
// runs only the named ones. Benchmarks that need Docker or Chromium say so and are skipped when absent.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts;
const all = Object.keys(scripts).filter((name) => name.startsWith('bench:')).map((name) => name.slice('bench:'.length));
const wanted = process.argv.slice(2);
const chosen = wanted.length > 0 ? all.filter((name) => wanted.includes(name)) : all;
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (known: ${all.join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const name of chosen) {
  console.log(`\n═══ bench:${name} ═══`);
  const result = spawnSync('npm', ['run', '--silent', `bench:${name}`], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.log(`bench:${name} exited with ${result.status}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
