// Test files on disk: find them, load and parse them, write them back atomically with undo.
export { findTestFiles } from './find';
export { loadTestFile, firstInvalidUtf8, MAX_TEST_FILE_BYTES, type LoadedTestFile } from './load';
export { writeFileAtomic, type WriteHandle } from './write';
export { parseInThread, parseDeadlineMs, setParseWorkerEntry, PARSE_DEADLINE_MS } from './parse-thread';
