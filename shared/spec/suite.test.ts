// Suite files: the schema with positions, unknown keys, the confidence-key rule, and the Rosetta Stone
// suite itself (clnrm's original, unchanged).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTestFile } from './parse';
import { confidenceTarget, isSuiteSource, parseSuiteFile } from './suite';

const rosetta = readFileSync(new URL('../../examples/rosetta/rosetta_stone_suite.clnrm.toml', import.meta.url), 'utf8');

const suite = (extra = '', scenarios = 3) =>
  [
    '[meta]\nname = "s"\nversion = "2.0"',
    '[suite]\nname = "S"',
    ...Array.from({ length: scenarios }, (_, i) => `[[suite.scenario]]\nname = "sc${i + 1}"\nfile = "f${i + 1}.clnrm.toml"`),
    extra,
  ].join('\n\n');

const brief = (problems: { line?: number; column?: number; code: string; message: string }[]) => problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`);

describe('suite files', () => {
  it('parse the Rosetta Stone suite: five scenarios weighing 8.0, criteria in file order, no unknown keys', () => {
    const result = parseTestFile(rosetta, { file: 'suite.clnrm.toml' });
    expect(result.errors).toEqual([]);
    expect(result.tests).toEqual([]);
    expect(result.warnings.filter((w) => w.code === 'toml.unknown-key')).toEqual([]);
    const s = result.suite!;
    expect(s).toMatchObject({ name: 'rosetta_stone_suite_v1_0_1', version: '1.0.1', parallel: false, failFast: false, timeoutMs: 3_600_000 });
    expect(s.scenarios.map((x) => [x.name, x.weight, x.required, x.confidenceKey, x.timeoutMs])).toEqual([
      ['01_minimal_validation', 1, true, 'scenario_01_pass', 600_000],
      ['02_full_surface_validation', 1.5, true, 'scenario_02_pass', 1_200_000],
      ['03_otlp_validation', 1, true, 'scenario_03_pass', 900_000],
      ['04_hermetic_isolation', 2, true, 'scenario_04_pass', 900_000],
      ['05_determinism_validation', 2.5, true, 'scenario_05_pass', 1_200_000],
    ]);
    expect(s.criteria[2]).toEqual(['determinism_hash_match', '5/5']);
    expect(s.expectSuite).toEqual({ all_scenarios_pass: true, zero_failures: true, zero_errors: true });
    // Suite-level sections the scenario files do not take from it are said, not ignored.
    expect(result.warnings.map((w) => w.path)).toEqual(expect.arrayContaining(['determinism', 'otel', 'report.html', 'report.verdict.show_recommendations', 'limits', 'cleanup']));
  });

  it('is recognised by its [suite] table only', () => {
    expect(isSuiteSource(rosetta)).toBe(true);
    expect(isSuiteSource('[meta]\nname = "t"\n# [suite]\n')).toBe(false);
    expect(isSuiteSource('[suite\n')).toBe(false);
  });

  it('maps confidence keys by position (scenario_<N>_pass) or by scenario name', () => {
    const names = ['alpha', 'beta', 'gamma'];
    expect(confidenceTarget('scenario_01_pass', names)).toBe(0);
    expect(confidenceTarget('scenario_3_pass', names)).toBe(2);
    expect(confidenceTarget('scenario_04_pass', names)).toBeUndefined();
    expect(confidenceTarget('scenario_00_pass', names)).toBeUndefined();
    expect(confidenceTarget('beta', names)).toBe(1);
    expect(confidenceTarget('beta_pass', names)).toBe(1);
    expect(confidenceTarget('delta_pass', names)).toBeUndefined();
  });

  it('errors where a confidence key weighs no scenario or a scenario twice', () => {
    const text = suite('[release.confidence]\nscenario_01_pass = { weight = 1.0 }\nsc1 = { weight = 2.0 }\nscenario_07_pass = { weight = 1.0 }\nsc2_pas = { weight = 1.0 }');
    const { errors, suite: parsed } = parseSuiteFile(text, 's.clnrm.toml');
    expect(parsed).toBeUndefined();
    expect(brief(errors)).toEqual([
      expect.stringMatching(/^22:1 spec\.reference `sc1` and `scenario_01_pass` both weigh scenario 1 \("sc1"\): keep one$/),
      expect.stringMatching(/^23:1 spec\.reference `scenario_07_pass` weighs no scenario: use .*N-th of the 3 \[\[suite\.scenario\]\] entries/),
      expect.stringMatching(/^24:1 spec\.reference `sc2_pas` weighs no scenario: .* — did you mean `sc2_pass`\?$/),
    ]);
  });

  it('gives unweighted scenarios weight 0 when there are weights, 1 each when there are none', () => {
    const weighted = parseSuiteFile(suite('[release.confidence]\nsc2_pass = { weight = 3.0, required = true }')).suite!;
    expect(weighted.scenarios.map((s) => s.weight)).toEqual([0, 3, 0]);
    const plain = parseSuiteFile(suite('[[suite.scenario]]\nname = "opt"\nfile = "o.clnrm.toml"\nrequired = false')).suite!;
    expect(plain.scenarios.map((s) => [s.weight, s.required])).toEqual([[1, true], [1, true], [1, true], [1, false]]);
  });

  it('reports shape errors at their position and unknown keys with a did-you-mean', () => {
    const text = suite('[release.confidence]\nsc1 = { weight = -1 }\n\n[report]\njsn = "x.json"', 2);
    const { errors, warnings } = parseSuiteFile(text, 's.clnrm.toml');
    expect(brief(errors)).toEqual([expect.stringMatching(/^17:18 toml\.shape .*must be a non-negative weight/)]);
    expect(brief(warnings)).toEqual([expect.stringMatching(/^20:1 toml\.unknown-key unknown key `jsn` in `report` — did you mean `json`\?/)]);
  });

  it('refuses a suite without scenarios, a file listed twice, duplicate names, weights adding up to 0', () => {
    expect(brief(parseSuiteFile('[suite]\nname = "S"\nscenario = []\n').errors)).toEqual([expect.stringMatching(/suite\.scenario.*at least one/)]);
    const twice = suite('[[suite.scenario]]\nname = "sc1"\nfile = "f1.clnrm.toml"', 1);
    expect(brief(parseSuiteFile(twice).errors)).toEqual([
      expect.stringMatching(/two \[\[suite\.scenario\]\] entries are named "sc1"/),
      expect.stringMatching(/"f1\.clnrm\.toml" is listed twice/),
    ]);
    expect(brief(parseSuiteFile(suite('[release.confidence]\nsc1 = { weight = 0 }', 1)).errors)).toEqual([expect.stringMatching(/weights add up to 0/)]);
  });
});
