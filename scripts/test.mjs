// `npm test`: every suite (Vitest unit + integration, then Playwright e2e when present), with one
// closing line summing them all: `N passed, N failed, N skipped`. Extra arguments go to Vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';

const outDir = 'test-results';
mkdirSync(outDir, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

function runSuite(name, command, args, reportFile, count) {
  console.log(`\n── ${name} ──`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  if (!existsSync(reportFile)) {
    console.log(`${name}: no report was written (exit ${result.status}); counting the suite as failed.`);
    totals.failed += 1;
    broken = true;
    return;
  }
  const counts = count(JSON.parse(readFileSync(reportFile, 'utf8')));
  console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (result.status !== 0 && counts.failed === 0) {
    // A runner that exits non-zero without a failed test (a crash, an unhandled error) still fails.
    totals.failed += 1;
    broken = true;
  }
}

const vitestReport = `${outDir}/vitest.json`;
runSuite('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`, ...process.argv.slice(2)], vitestReport, (r) => ({
  passed: r.numPassedTests ?? 0,
  failed: (r.numFailedTests ?? 0) + (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length,
  skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
}));

const hasE2E = existsSync('e2e') && readdirSync('e2e').some((f) => f.endsWith('.spec.ts'));
if (hasE2E && process.argv.length <= 2) {
  const e2eReport = `${outDir}/e2e.json`;
  runSuite('e2e (Playwright)', 'npx', ['playwright', 'test', '--reporter=list,json'], e2eReport, (r) => ({
    passed: r.stats?.expected ?? 0,
    failed: (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0),
    skipped: r.stats?.skipped ?? 0,
  }));
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || broken ? 1 : 0);
