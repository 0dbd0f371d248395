// A child process for the durable-acknowledgement test: the OTLP/HTTP receiver feeding a store in
// the given folder (database in its writer thread, as `clnrm collect` runs it), acknowledging per
// the second argument (`stored` or `queued`). Prints "port <n>" once listening; runs until killed.
import { createReceiver } from './receiver';
import { openStore } from '../store/trace-store';
import { writerThreadEntry } from '../store/writer-thread';

const [dir, ack] = process.argv.slice(2);
if (!dir || (ack !== 'stored' && ack !== 'queued')) {
  process.stderr.write('usage: receive-child.fixture.ts DATA_DIR stored|queued\n');
  process.exit(2);
}
const store = await openStore({ dataDir: dir, writerThread: writerThreadEntry() });
const receiver = await createReceiver({ sink: store.receive, ...(ack === 'stored' ? { commit: store.commit } : {}), httpPort: 0, grpcPort: false });
process.stdout.write(`port ${receiver.http!.port}\n`);
