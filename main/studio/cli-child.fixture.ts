// Runs the real `clnrm` CLI from the sources in a child process (for tests that need a separate
// process: signals, printed URLs). Usage: node --import tsx cli-child.fixture.ts <args…>
import { main } from '../cli/index';

process.exitCode = await main(process.argv);
