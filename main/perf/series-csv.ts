// Reading a plain time-series CSV for `clnrm perf changes`: a header row, the first column the time
// (any text: a date, a build number, a commit), every other column one metric's numbers. An empty
// cell is a missing value; anything else that is not a number is an error at its line and column.
import { readFile } from 'node:fs/promises';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { StudioError } from '../../shared/errors';

export interface MetricSeries {
  readonly name: string;
  /** Data-row positions (0-based) that have a value, ascending. */
  readonly rows: readonly number[];
  readonly values: readonly number[];
}

export interface TimeSeriesTable {
  /** The first column of every data row. */
  readonly times: readonly string[];
  readonly metrics: readonly MetricSeries[];
}

function csvProblem(file: string, message: string, line?: number, column?: number): StudioError {
  return new StudioError({ code: 'perf.csv', message, file, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) });
}

interface Row {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

function parseRows(text: string, file: string): Row[] {
  try {
    return parse(text, { info: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as Row[];
  } catch (error) {
    // csv-parse's message names the problem and its line; its `column` is not a column for every code.
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw csvProblem(file, `${error.message}. Give one header row, then rows with as many comma-separated fields.`, line);
    }
    throw error;
  }
}

/** Parses the CSV text; `file` names it in errors. */
export function parseTimeSeriesCsv(text: string, file: string): TimeSeriesTable {
  const rows = parseRows(text, file);
  const header = rows[0];
  if (!header) throw csvProblem(file, 'the file is empty: give a header row (time, then one name per metric) and rows of numbers.');
  if (header.record.length < 2) throw csvProblem(file, 'the header has no metric column: give the time first, then one column per metric.', header.info.lines);
  const names = header.record.slice(1);
  names.forEach((name, k) => {
    if (name === '') throw csvProblem(file, `metric column ${k + 2} has no name in the header.`, header.info.lines, k + 2);
    if (names.indexOf(name) !== k) throw csvProblem(file, `metric "${name}" appears twice in the header.`, header.info.lines, k + 2);
  });
  const times: string[] = [];
  const metrics = names.map((name) => ({ name, rows: [] as number[], values: [] as number[] }));
  for (const { record, info } of rows.slice(1)) {
    const row = times.length;
    times.push(record[0]!);
    for (let k = 0; k < metrics.length; k++) {
      const cell = record[k + 1]!;
      if (cell === '') continue;
      const value = Number(cell);
      if (!Number.isFinite(value)) throw csvProblem(file, `"${cell}" in column ${metrics[k]!.name} is not a number (leave the cell empty for a missing value).`, info.lines, k + 2);
      metrics[k]!.rows.push(row);
      metrics[k]!.values.push(value);
    }
  }
  return { times, metrics };
}

export async function readTimeSeriesCsv(path: string, shownAs: string): Promise<TimeSeriesTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new StudioError({ code: 'io.read', message: `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, file: shownAs });
  }
  return parseTimeSeriesCsv(text, shownAs);
}
