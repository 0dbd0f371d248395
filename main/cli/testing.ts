// In-process CLI runner for tests: captures output instead of writing to the terminal.
import { run } from './index';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'clnrm', ...args], {
    out: (t) => (stdout += t.endsWith('\n') ? t : t + '\n'),
    err: (t) => (stderr += t.endsWith('\n') ? t : t + '\n'),
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    isTTY: false,
  });
  return { code, stdout, stderr };
}
