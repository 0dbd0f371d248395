// `clnrm heal`'s usage errors without Docker: no run yet, an unknown proposal, a malformed id, two decisions at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const folder = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'clnrm-cli-heal-'));
  dirs.push(d);
  return d;
};

describe('clnrm heal (usage)', () => {
  it('says so when there is no run, or no such proposal (exit 2)', async () => {
    const cwd = folder();
    const none = await runCli(['heal', '--data-dir', 'db'], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/clnrm heal: no run yet in .*healing\.no-run/);
    const unknown = await runCli(['heal', '--apply', '0123abcd', '--data-dir', 'db'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no proposal 0123abcd in .*proposals\.json/);
  });

  it('refuses a malformed id and two decisions at once', async () => {
    const cwd = folder();
    const bad = await runCli(['heal', '--apply', 'xyz'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/give a proposal id: 8 hex digits/);
    const two = await runCli(['heal', '--apply', '0123abcd', '--reject', '0123abcd'], { cwd });
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/give one of --apply, --undo, --reject, or a run to heal/);
  });
});
