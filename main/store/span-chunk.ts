// Span rows appended column by column: a reused DuckDB data chunk is filled from a RowBatch and
// handed to the appender whole. The row-by-row appender paid ~17 N-API calls per span
// (bench:store, "appendRows"); here numbers and null masks go in as typed arrays (one copy per
// column), and a text that repeats within a chunk (trace ids, names, kinds, services, run tags)
// is assigned once: the other rows get a copy of its 16-byte `duckdb_string_t` (the C API's
// public string layout; a long string's pointer stays valid until the chunk is reset, and the
// appender copies the strings when it takes the chunk). Only span ids and bodies cost a call each.
import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, DuckDBTypeId, type DuckDBAppender } from '@duckdb/node-api';
import { SpanScanner } from '../../shared/otlp';
import { rowBytes, type RowBatch } from './row-batch';
import type { OriginTags } from './schema';

/** The `spans` columns in table order (schema.ts) and their types: checked against the table when opened. */
const COLUMNS = [
  ['seq', DuckDBTypeId.BIGINT],
  ['trace_id', DuckDBTypeId.VARCHAR],
  ['span_id', DuckDBTypeId.VARCHAR],
  ['parent_span_id', DuckDBTypeId.VARCHAR],
  ['name', DuckDBTypeId.VARCHAR],
  ['kind', DuckDBTypeId.VARCHAR],
  ['status_code', DuckDBTypeId.VARCHAR],
  ['service', DuckDBTypeId.VARCHAR],
  ['start_us', DuckDBTypeId.DOUBLE],
  ['end_us', DuckDBTypeId.DOUBLE],
  ['duration_us', DuckDBTypeId.DOUBLE],
  ['run_id', DuckDBTypeId.VARCHAR],
  ['scenario', DuckDBTypeId.VARCHAR],
  ['origin_id', DuckDBTypeId.INTEGER],
  ['body', DuckDBTypeId.BLOB],
  ['bytes', DuckDBTypeId.INTEGER],
  ['execution_id', DuckDBTypeId.VARCHAR],
] as const;
type Column = (typeof COLUMNS)[number][0];
const COL = Object.fromEntries(COLUMNS.map(([name], i) => [name, i])) as Record<Column, number>;
/** Text columns whose values repeat within a chunk. */
const REPEATED: readonly Column[] = ['trace_id', 'parent_span_id', 'name', 'kind', 'status_code', 'service', 'run_id', 'scenario', 'execution_id'];
const STRING_T_BYTES = 16;

/** What became of a batch: rows appended, and rows refused (each with why). */
export interface ChunkOutcome {
  appended: number;
  failed: Array<{ rows: number; error: unknown }>;
}

export class SpanChunkWriter {
  private readonly capacity = duckdb.vector_size();
  private readonly chunk: DuckDBDataChunk;
  private readonly vectors: duckdb.Vector[];
  // Column scratch, reused for every chunk.
  private readonly seq = new Uint32Array(2 * this.capacity);
  private readonly startUs = new Float64Array(this.capacity);
  private readonly endUs = new Float64Array(this.capacity);
  private readonly durationUs = new Float64Array(this.capacity);
  private readonly originIds = new Int32Array(this.capacity);
  private readonly rowBytes = new Int32Array(this.capacity);
  /** Per repeated-text column: the row each value was first assigned at, and each row's source row (-1: null). */
  private readonly firstRow = new Map<number, Map<string, number>>(REPEATED.map((c) => [COL[c], new Map()]));
  private readonly sourceRow = new Map<number, Int32Array>(REPEATED.map((c) => [COL[c], new Int32Array(this.capacity)]));
  /** Validity bits of the nullable columns (1 = a value), by column index. */
  private readonly valid = new Map<number, Uint8Array>(
    (['parent_span_id', 'run_id', 'scenario', 'execution_id'] as const).map((c) => [COL[c], new Uint8Array(Math.ceil(this.capacity / 64) * 8).fill(0xff)]),
  );

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly tagsOf: (origin: number) => OriginTags | undefined,
  ) {
    const count = appender.columnCount;
    const types = Array.from({ length: count }, (_, i) => appender.columnType(i));
    const wrong = COLUMNS.findIndex(([, typeId], i) => types[i]?.typeId !== typeId);
    if (count !== COLUMNS.length || wrong >= 0) {
      throw new Error(`the spans table's columns (${types.join(', ')}) are not the ones this version writes (${COLUMNS.map(([n]) => n).join(', ')})`);
    }
    this.chunk = DuckDBDataChunk.create(types);
    this.vectors = COLUMNS.map((_, i) => duckdb.data_chunk_get_vector(this.chunk.chunk, i));
  }

  /**
   * Appends the batch's rows. A row whose bytes cannot be read is refused alone; a chunk the
   * appender refuses is refused whole (its rows are counted in `failed`).
   */
  append(b: RowBatch): ChunkOutcome {
    const outcome: ChunkOutcome = { appended: 0, failed: [] };
    const scan = new SpanScanner(b.data);
    let row = 0;
    for (let i = 0; i < b.count; i++) {
      try {
        this.setRow(row, b, i, scan);
        row++;
      } catch (error) {
        outcome.failed.push({ rows: 1, error });
        this.clearRow(row);
      }
      if (row === this.capacity) {
        this.appendChunk(row, outcome);
        row = 0;
      }
    }
    if (row > 0) this.appendChunk(row, outcome);
    return outcome;
  }

  private setRow(row: number, b: RowBatch, i: number, scan: SpanScanner): void {
    const start = b.ranges[2 * i]!;
    const end = b.ranges[2 * i + 1]!;
    scan.scan(start, end);
    const origin = b.origins[i]!;
    const tags = this.tagsOf(origin);
    if (tags === undefined) throw new Error(`span row refers to unknown origin ${origin}`);
    const v = this.vectors;
    const seq = b.firstSeq + i;
    this.seq[2 * row] = seq >>> 0;
    this.seq[2 * row + 1] = Math.floor(seq / 0x1_0000_0000);
    this.setText(COL.trace_id, row, scan.traceId);
    duckdb.vector_assign_string_element(v[COL.span_id]!, row, scan.spanId);
    this.setText(COL.parent_span_id, row, scan.parentSpanId === '' ? null : scan.parentSpanId);
    this.setText(COL.name, row, scan.name);
    this.setText(COL.kind, row, scan.kind);
    this.setText(COL.status_code, row, scan.statusCode);
    this.setText(COL.service, row, tags.service);
    const startUs = scan.startUs;
    const durationUs = scan.endUs > startUs ? scan.endUs - startUs : 0;
    this.startUs[row] = startUs;
    this.endUs[row] = startUs + durationUs;
    this.durationUs[row] = durationUs;
    this.setText(COL.run_id, row, tags.runId);
    this.setText(COL.scenario, row, tags.scenario);
    this.originIds[row] = origin;
    duckdb.vector_assign_string_element_len(v[COL.body]!, row, b.data.subarray(start, end));
    this.rowBytes[row] = rowBytes(scan.name, tags.service, end - start);
    this.setText(COL.execution_id, row, tags.executionId);
  }

  /** A repeated-text column's value (null only in nullable columns: its validity bit is cleared). */
  private setText(column: number, row: number, value: string | null): void {
    const source = this.sourceRow.get(column)!;
    const bits = this.valid.get(column);
    if (value === null) {
      bits![row >>> 3]! &= ~(1 << (row & 7));
      source[row] = -1;
      return;
    }
    const first = this.firstRow.get(column)!;
    const at = first.get(value);
    if (at !== undefined) source[row] = at;
    else {
      duckdb.vector_assign_string_element(this.vectors[column]!, row, value);
      first.set(value, row);
      source[row] = row;
    }
  }

  /** A refused row's slot is taken by the next row: nothing of it may carry over. */
  private clearRow(row: number): void {
    for (const bits of this.valid.values()) bits[row >>> 3]! |= 1 << (row & 7);
    for (const first of this.firstRow.values()) {
      for (const [value, at] of first) if (at === row) first.delete(value);
    }
  }

  /** Gives every row of a repeated-text column the string_t of the row its value was assigned at. */
  private spreadRepeated(rows: number): void {
    for (const [column, source] of this.sourceRow) {
      const data = duckdb.vector_get_data(this.vectors[column]!, rows * STRING_T_BYTES);
      // Four 32-bit words per string_t (the copy is a fresh, aligned buffer).
      const words = new Int32Array(data.buffer, data.byteOffset, rows * 4);
      for (let row = 0; row < rows; row++) {
        const from = source[row]!;
        if (from < 0 || from === row) continue;
        words[4 * row] = words[4 * from]!;
        words[4 * row + 1] = words[4 * from + 1]!;
        words[4 * row + 2] = words[4 * from + 2]!;
        words[4 * row + 3] = words[4 * from + 3]!;
      }
      duckdb.copy_data_to_vector(this.vectors[column]!, 0, data.buffer as ArrayBuffer, data.byteOffset, rows * STRING_T_BYTES);
    }
  }

  private appendChunk(rows: number, outcome: ChunkOutcome): void {
    const v = this.vectors;
    const copy = (column: number, a: ArrayBufferView, bytesPerRow: number): void =>
      duckdb.copy_data_to_vector(v[column]!, 0, a.buffer as ArrayBuffer, a.byteOffset, rows * bytesPerRow);
    copy(COL.seq, this.seq, 8);
    copy(COL.start_us, this.startUs, 8);
    copy(COL.end_us, this.endUs, 8);
    copy(COL.duration_us, this.durationUs, 8);
    copy(COL.origin_id, this.originIds, 4);
    copy(COL.bytes, this.rowBytes, 4);
    this.spreadRepeated(rows);
    const maskBytes = Math.ceil(rows / 64) * 8;
    for (const [column, bits] of this.valid) {
      // Slots past `rows` are always set (see the reset below), so an all-ones mask means no nulls.
      if (bits.subarray(0, maskBytes).every((b) => b === 0xff)) continue;
      duckdb.vector_ensure_validity_writable(v[column]!);
      duckdb.copy_data_to_vector_validity(v[column]!, 0, bits.buffer as ArrayBuffer, 0, maskBytes);
    }
    this.chunk.rowCount = rows;
    try {
      this.appender.appendDataChunk(this.chunk);
      outcome.appended += rows;
    } catch (error) {
      outcome.failed.push({ rows, error });
    } finally {
      this.chunk.reset();
      for (const bits of this.valid.values()) bits.fill(0xff);
      for (const first of this.firstRow.values()) first.clear();
    }
  }
}
