// CSV files: feature columns, then the label column; a header row is optional.
// Header: with header 'auto' (default) the first row is a header only when
// none of its cells looks like a number (so a first data row with one bad
// cell is reported, not dropped); header: true / false says it outright.
// Features must be decimal numbers, finite in f32; a bad or empty cell is an
// error naming its line and column. Labels: when every label is a number they
// are compared as numbers (01 and 1 are one class): all ±1 stay ±1; integers
// 0..K-1 (all present) stay class indices; any other numbers, or any text,
// are mapped to 0..K-1 in sorted order, the names kept in `labelNames`.
// Parsing by csv-parse.
import { parse } from 'csv-parse/sync';
import { checkOptions } from '../options.js';
import { F32_MAX } from '../matrix.js';
import type { Dataset } from './types.js';

/** Options of {@link parseCsv} and {@link loadCsv}. */
export interface CsvOptions {
  /** 'auto' (default): the first row is a header when none of its cells is a number; or true / false. */
  header?: boolean | 'auto';
}

// a decimal number as a CSV cell holds it: 12, -0.5, .5, 3., 1e-3
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// cells that are meant as numbers even though they are not finite ones
const NUMBERISH = /^[+-]?(nan|inf|infinity)$/i;

const looksNumeric = (s: string) => DECIMAL.test(s) || NUMBERISH.test(s);

function show(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? `a ${(v as object).constructor?.name ?? 'object'}` : `${typeof v} ${String(v)}`;
}

/** Parses CSV text into a dataset (no test set). @throws Error naming the line and column of a bad value. */
export function parseCsv(text: string, name = 'csv', options: CsvOptions = {}): Dataset {
  if (typeof name !== 'string') throw new TypeError(`parseCsv: name must be a string (used in messages), got ${show(name)}`);
  const where = name;
  options = checkOptions(options, ['header'], 'parseCsv');
  const header = options.header ?? 'auto';
  if (header !== 'auto' && header !== true && header !== false) {
    throw new TypeError(`parseCsv: header must be 'auto', true or false, got ${show(header)}`);
  }
  if (typeof text !== 'string') {
    throw new TypeError(`parseCsv: text must be the CSV contents as a string, got ${show(text)}` +
      ((text as unknown) instanceof Uint8Array ? ' (decode it first, e.g. buffer.toString("utf8"))' : ''));
  }

  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: false, bom: true, info: true }) as typeof parsed;
  } catch (e) {
    throw new Error(`${where}: not a valid CSV file: ${(e as Error).message}`);
  }
  if (parsed.length === 0) throw new Error(`${where}: no data rows (the file is empty)`);
  const width = parsed[0].record.length;
  if (width < 2) {
    throw new Error(`${where}: line ${parsed[0].info.lines} has ${width} column; a CSV needs at least one feature column and a label column`);
  }

  const isHeader = header === true || (header === 'auto' && !parsed[0].record.some(looksNumeric));
  const rows = isHeader ? parsed.slice(1) : parsed;
  if (rows.length === 0) throw new Error(`${where}: no data rows (only the header line ${parsed[0].info.lines})`);

  // a trailing comma on every line: the last column is empty everywhere, the label is in the one before
  if (rows.every((r) => r.record[width - 1] === '')) {
    throw new Error(`${where}: column ${width}, the label column, is empty on every line: the lines end with a comma? ` +
      'Remove the trailing commas; the label must be the last column');
  }

  const cols = width - 1, N = rows.length;
  const data = new Float32Array(N * cols);
  const raw: string[] = new Array(N);
  for (let r = 0; r < N; r++) {
    const { record: rec, info } = rows[r];
    const line = info.lines;
    for (let c = 0; c < cols; c++) {
      const cell = rec[c];
      if (cell === '') throw new Error(`${where}: line ${line}, column ${c + 1} is empty; every feature needs a number`);
      if (!DECIMAL.test(cell)) {
        throw new Error(`${where}: line ${line}, column ${c + 1} is ${JSON.stringify(cell)}, not a finite number` +
          (r === 0 && !isHeader && header === 'auto' ? ' (line 1 is read as data since it has numbers in it; pass header: true if it is a header)' : ''));
      }
      const v = Number(cell);
      if (!(Math.abs(v) <= F32_MAX)) {
        throw new Error(`${where}: line ${line}, column ${c + 1} is ${cell}, beyond f32 (features must be below 3.4e38 in magnitude)`);
      }
      data[r * cols + c] = v;
    }
    const label = rec[cols];
    if (label === '') throw new Error(`${where}: line ${line}, column ${width} (the label) is empty`);
    raw[r] = label;
  }

  // labels: numbers compared as numbers when every label is one, else names
  const allNumeric = raw.every(looksNumeric);
  let y: Int32Array, labels: 'pm1' | 'class', labelNames: string[] | undefined, classes: number;
  if (allNumeric) {
    const values = new Float64Array(N);
    for (let r = 0; r < N; r++) {
      const v = DECIMAL.test(raw[r]) ? Number(raw[r]) : NaN;
      if (!Number.isFinite(v)) {
        throw new Error(`${where}: line ${rows[r].info.lines}, column ${width} (the label) is ${raw[r]}; numeric labels must be finite`);
      }
      values[r] = v === 0 ? 0 : v; // -0 and 0 are one label
    }
    const distinct = [...new Set(values)].sort((a, b) => a - b);
    if (distinct.every((v) => v === 1 || v === -1)) {
      y = Int32Array.from(values); labels = 'pm1'; classes = 2;
    } else if (distinct.length >= 2 && distinct.every((v, k) => v === k)) {
      y = Int32Array.from(values); labels = 'class'; classes = distinct.length;
    } else {
      const index = new Map(distinct.map((v, k) => [v, k]));
      labelNames = distinct.map(String);
      y = Int32Array.from(values, (v) => index.get(v)!);
      labels = 'class'; classes = distinct.length;
    }
  } else {
    labelNames = [...new Set(raw)].sort();
    const index = new Map(labelNames.map((s, k) => [s, k]));
    y = Int32Array.from(raw, (s) => index.get(s)!);
    labels = 'class'; classes = labelNames.length;
  }
  return { name, train: { x: { data, rows: N, cols }, y }, classes, labels, labelNames };
}

/** Reads a CSV file (Node). @throws Error naming the file when it cannot be read. */
export async function loadCsv(path: string, options: CsvOptions = {}): Promise<Dataset> {
  if (typeof path !== 'string' || path === '') throw new TypeError(`loadCsv: path must be a file name, got ${show(path)}`);
  options = checkOptions(options, ['header'], 'loadCsv');
  const fs = await import('node:fs/promises');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`loadCsv: cannot read ${path}: ${(e as Error).message}`);
  }
  return parseCsv(text, path, options);
}
