// The parse thread's entry: parses test files (templates included) off the thread that serves the
// receiver and the UI. main/spec/parse-thread.ts is the other end and stops it at a deadline.
import { parentPort } from 'node:worker_threads';
import { parseTestFile } from '../../shared/spec';
import type { ParseRequest, ParseReply } from './parse-thread';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread');

port.on('message', (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { id: request.id, result: parseTestFile(request.source, request.options) };
  } catch (error) {
    reply = { id: request.id, failure: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
