// What a command needs from the outside world, passed in so commands are testable in-process.
export interface CliIO {
  /** Standard output (results, JSON). */
  out(text: string): void;
  /** Standard error (progress, warnings, errors). */
  err(text: string): void;
  /**
   * Standard output as raw text (no newline added), resolving once written: large results are
   * streamed through it piece by piece so a slow reader holds the command back (backpressure)
   * instead of the whole output waiting in memory. Without it, commands fall back to `out`.
   */
  writeOut?(text: string): Promise<void>;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** True when stdout is a terminal (colours, live progress). */
  readonly isTTY: boolean;
  /** Standard input, for commands that take keys while they run (`studio`: Enter → a new link). */
  readonly stdin?: NodeJS.ReadableStream;
}

export interface CliContext extends CliIO {
  /** The exit code the command asks for; the highest one set wins. */
  exitCode: number;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM, or SIGHUP: the terminal closed); long-running commands await it. */
  readonly stopSignal: AbortSignal;
}

export function processIO(): CliIO {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
    writeOut: (text) => new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve()))),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stdin: process.stdin,
  };
}

export function setExit(ctx: CliContext, code: number): void {
  if (code > ctx.exitCode) ctx.exitCode = code;
}
