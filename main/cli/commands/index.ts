// Every command registers itself here: one import and one entry each.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerAnalyze } from './analyze';
import { registerChaos } from './chaos';
import { registerCollect } from './collect';
import { registerExport } from './export';
import { registerImport } from './import';
import { registerFlaky } from './flaky';
import { registerFmt } from './fmt';
import { registerHeal } from './heal';
import { registerGenerate } from './generate';
import { registerInit } from './init';
import { registerPerf } from './perf';
import { registerStudio } from './studio';
import { registerSuggest } from './suggest';
import { registerRun } from './run';
import { registerRuns } from './runs';
import { registerSelfTest } from './self-test';
import { registerTrace } from './trace';
import { registerTraces } from './traces';
import { registerValidate } from './validate';

type Register = (program: Command, ctx: CliContext) => void;

// Order = order in `clnrm --help`: test files, running, traces, performance, the studio, chaos.
const commands: Register[] = [
  registerValidate, registerFmt, registerInit, registerAnalyze, registerSuggest, registerGenerate,
  registerRun, registerSelfTest, registerRuns, registerFlaky, registerHeal,
  registerCollect, registerTraces, registerTrace, registerImport, registerExport,
  registerPerf, registerStudio,
  registerChaos,
];

export function registerCommands(program: Command, ctx: CliContext): void {
  for (const register of commands) register(program, ctx);
}
