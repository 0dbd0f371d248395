// The first-start demo: imports the sample traces bundled in resources/samples/ (recorded from the
// demo system in examples/demo) so a newcomer sees real traces in one click, and names the
// examples folder to open next.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../../shared/errors';
import type { CallResponse } from '../../shared/ipc/contract';
import type { TraceStore } from '../store';
import { importTraceFiles } from './trace-files';
import { UserPaths } from './user-paths';

export type DemoResult = CallResponse<'importFiles'> & { examplesFolder: string };

export async function loadDemo(store: TraceStore, samplesDir: string, examplesDir: string): Promise<DemoResult> {
  const names = await readdir(samplesDir).catch((error: NodeJS.ErrnoException) => {
    throw new StudioError({ code: 'io.read', message: `The bundled samples are missing (${samplesDir}: ${error.code ?? error.message}); reinstall Cleanroom Studio.`, file: samplesDir });
  });
  const paths = names.filter((n) => /\.(json|jsonl|ndjson)$/i.test(n)).sort().map((n) => join(samplesDir, n));
  if (paths.length === 0) throw new StudioError({ code: 'io.read', message: `No sample trace files in ${samplesDir}.`, file: samplesDir });
  // The app's own folder, named by the back end (not the page): its files are readable here.
  const samples = new UserPaths(samplesDir);
  await samples.addRoot(samplesDir);
  const result = await importTraceFiles(store, { paths }, samples);
  return { ...result, examplesFolder: examplesDir };
}
