// Runs every `*.clnrm.toml` and test `.toml` under each DIR (e.g. a clnrm checkout's tests/ and
// examples/) through parseTestFile and prints one line per file plus totals. Files that are not valid
// TOML are listed with their syntax error; valid TOML that gets schema errors is listed in full.
// Usage: npm run corpus -- DIR [--verbose]   (runs under tsx so it can import the TypeScript sources)
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { formatToml, parseTestFile } from '../shared/spec/index.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const roots = args.filter((a) => !a.startsWith('--'));
if (roots.length === 0) {
  console.error('usage: npm run corpus -- DIR... [--verbose]');
  process.exit(2);
}

async function* walk(dir) {
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop();
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(current, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'target') stack.push(full);
      else if (entry.isFile() && entry.name.endsWith('.toml') && entry.name !== 'Cargo.toml') yield full;
    }
  }
}

const fmt = { checked: 0, idempotent: 0, failed: [] };
const totals = { files: 0, ok: 0, okWithWarnings: 0, syntax: 0, invalid: 0, warnings: 0, tests: 0 };
const warningKeys = new Map();
for (const root of roots) {
  for await (const file of walk(root)) {
    totals.files++;
    const source = await readFile(file, 'utf8');
    const result = parseTestFile(source, { file: relative(root, file), env: {} });
    const syntax = result.errors.some((e) => e.code === 'toml.syntax' || e.code === 'toml.duplicate');
    totals.warnings += result.warnings.length;
    totals.tests += result.tests.length;
    for (const w of result.warnings) {
      const key = w.message.replace(/ \(allowed:.*$/, '').replace(/ \(position.*$/, '');
      const short = key.replace(/^unknown key (`[^`]+`) in `([^`]+)`.*$/, (_, k, p) => `${k} in ${p.replace(/\[\d+\]/g, '[]').replace(/^(services?)\.[^.]+/, '$1.<id>')}`);
      warningKeys.set(short, (warningKeys.get(short) ?? 0) + 1);
    }
    // The formatter must keep the data and be idempotent on every file that is valid TOML.
    if (!syntax) {
      const once = formatToml(source);
      if (once.ok) {
        fmt.checked++;
        const twice = formatToml(once.text);
        if (twice.ok && twice.text === once.text) fmt.idempotent++;
        else fmt.failed.push(`${relative(root, file)} (not idempotent)`);
      } else if (once.problem.code !== 'toml.syntax' && once.problem.code !== 'toml.duplicate') fmt.failed.push(`${relative(root, file)}: ${once.problem.message}`);
    }
    let status;
    if (result.errors.length === 0) {
      status = result.warnings.length ? 'ok (warnings)' : 'ok';
      if (result.warnings.length) totals.okWithWarnings++;
      else totals.ok++;
    } else if (syntax) {
      status = 'not TOML';
      totals.syntax++;
    } else {
      status = 'INVALID';
      totals.invalid++;
    }
    console.log(`${status.padEnd(14)} ${relative(root, file)}  errors=${result.errors.length} warnings=${result.warnings.length} tests=${result.tests.length}`);
    if (status === 'not TOML' || status === 'INVALID' || verbose) {
      for (const e of result.errors) console.log(`    ${e.file}:${e.line}:${e.column}: error: ${e.message} [${e.code}]`);
    }
    if (verbose) for (const w of result.warnings) console.log(`    ${w.file}:${w.line}:${w.column}: warning: ${w.message} [${w.code}]`);
  }
}
console.log('\nMost frequent warnings:');
for (const [k, n] of [...warningKeys].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${String(n).padStart(4)}  ${k}`);
console.log(
  `\n${totals.files} files: ${totals.ok} valid, ${totals.okWithWarnings} valid with warnings, ${totals.invalid} invalid (valid TOML, schema errors), ${totals.syntax} not valid TOML; ${totals.warnings} warnings, ${totals.tests} concrete tests`,
);
console.log(`fmt: ${fmt.checked} files formatted with their data unchanged, ${fmt.idempotent} idempotent, ${fmt.failed.length} failures`);
for (const f of fmt.failed) console.log(`  fmt failure: ${f}`);
process.exitCode = totals.invalid > 0 || fmt.failed.length > 0 ? 1 : 0;
