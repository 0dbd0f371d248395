import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../spec';
import type { Classification } from './classes';
import { differingAttributes, proposeRepairs } from './repairs';

const determinism: Classification = {
  class: 'determinism_violation',
  confidence: 0.9,
  evidence: [
    { kind: 'determinism', detail: 'iteration 2 differs from iteration 1 (2 differences)' },
    { kind: 'determinism', detail: 'order.create: order.create: attribute order.token changed from "0b1c" to "9f2e"' },
    { kind: 'determinism', detail: 'order.create: order.create: new attribute retry.at = "12:00"' },
  ],
};

const FILE = `# keep this comment
[meta]
name = "t"   # and this one
version = "1"

[determinism]
iterations = 2

[limits]
memory_mb = 24

[[steps]]
name = "s"
command = ["true"]
`;

describe('repairs', () => {
  it('reads the attributes that differed out of the determinism evidence', () => {
    expect(differingAttributes(determinism)).toEqual(['order.token', 'retry.at']);
  });

  it('determinism: adds exclude_fields under [determinism], changing only that table', () => {
    const [repair] = proposeRepairs({ file: 't.clnrm.toml', source: FILE, classification: determinism });
    expect(repair).toMatchObject({ kind: 'exclude-nondeterministic-attributes', reason: 'determinism_violation (90 %)' });
    expect(repair!.text).toBe(FILE.replace('iterations = 2\n', 'iterations = 2\nexclude_fields = ["order.token", "retry.at"]\n'));
    expect(repair!.diff).toMatch(/^\+exclude_fields = \["order.token", "retry.at"\]$/m);
    const parsed = parseTestFile(repair!.text, { file: 't.clnrm.toml' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.tests[0]!.determinism?.exclude_fields).toEqual(['order.token', 'retry.at']);
    // Already excluded: nothing more to propose.
    expect(proposeRepairs({ file: 't.clnrm.toml', source: repair!.text, classification: determinism })).toEqual([]);
  });

  it('OOM: raises [limits] memory_mb by the multiplier', () => {
    const oom: Classification = { class: 'resource_exhaustion', confidence: 0.97, evidence: [{ kind: 'container', detail: 'OOM killed (exit 137)', ref: 'hog' }] };
    const [repair] = proposeRepairs({ file: 't.clnrm.toml', source: FILE, classification: oom });
    expect(repair).toMatchObject({ kind: 'raise-memory-limit', description: 'raise [limits] memory_mb from 24 to 36 (× 1.5) after the OOM kill', evidence: ['OOM killed (exit 137) [hog]'] });
    expect(repair!.text).toBe(FILE.replace('memory_mb = 24', 'memory_mb = 36'));
    expect(proposeRepairs({ file: 't.clnrm.toml', source: FILE, classification: oom, resourceMultiplier: 4 })[0]!.text).toContain('memory_mb = 96');
  });

  it('an unknown key with a "did you mean" is renamed in place', () => {
    const source = FILE.replace('version = "1"', 'verison = "1"  # typo');
    const parsed = parseTestFile(source, { file: 't.clnrm.toml' });
    const warnings = parsed.warnings.filter((w) => w.code === 'toml.unknown-key');
    expect(warnings).toHaveLength(1);
    const assertion: Classification = { class: 'assertion_failure', confidence: 0.8, evidence: [] };
    const [repair] = proposeRepairs({ file: 't.clnrm.toml', source, classification: assertion, warnings });
    expect(repair).toMatchObject({ kind: 'fix-unknown-key', description: 'rename the unknown key `verison` to `version` (line 4)' });
    expect(repair!.text).toBe(FILE.replace('version = "1"', 'version = "1"  # typo'));
  });
});
