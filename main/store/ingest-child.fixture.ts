// A child process for the durability test: ingests spans steadily into a store in the given
// folder and prints "<epoch ms> <spans ingested>" after each batch, until it is killed.
// A second argument `thread` puts the database in the writer thread.
import { openStore } from './trace-store';
import { writerThreadEntry } from './writer-thread';
import { makeTraces, resourceFor } from './test-spans';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: ingest-child.fixture.ts DATA_DIR\n');
  process.exit(2);
}
const store = await openStore({ dataDir: dir, ...(process.argv[3] === 'thread' ? { writerThread: writerThreadEntry() } : {}) });
const resource = resourceFor('durable');
let count = 0;
let trace = 1;
setInterval(() => {
  store.ingest(makeTraces(20, 5, resource, trace));
  trace += 20;
  count += 100;
  process.stdout.write(`${Date.now()} ${count}\n`);
}, 10);
