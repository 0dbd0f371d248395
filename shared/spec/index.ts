// The `.clnrm.toml` test-file engine: parse (with templates and matrix), validate with positions,
// normalise to a typed TestFile, and write back (canonical format, comment-keeping edits).
export { parseTestFile, analyseToml } from './parse';
export type { ParseOptions, ParseResult, TestFile, TestMeta, ServiceSpec, StepSpec, ScenarioSpec, VolumeSpec, HealthCheckSpec } from './types';
export { Locator, locate, type Location } from './locate';
export { formatPath, parsePath, type PathSegment } from './path';
export { isTemplate, renderTemplate, DEFAULT_VARIABLES } from './template';
export { expandMatrix, combinationLabel, type Combination, type MatrixValue } from './matrix';
export { splitCommand } from './shell-words';
export { testFileSchema, SECTION_ORDER, type RawTestFile } from './schema/root';
export { formatToml, insertTable, removeKey, removeTable, setKey, setTable, unifiedDiff, tomlValue, type EditResult, type FormatResult } from './writer';
export { hostAccess, hostAccessRisk, type HostAccess } from './host-access';
export { declaredTopology, type DeclaredService, type DeclaredTopology } from './topology';
