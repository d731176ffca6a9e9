// CSV files: feature columns, then the label column; a header row is optional
// (detected when the first row is not all numbers). Labels that are all ±1
// stay ±1; integers 0..K-1 (all present) stay class indices; anything else is mapped to
// 0..K-1 in sorted order, the names kept in `labelNames`. Parsing by csv-parse.
import { parse } from 'csv-parse/sync';
import type { Dataset } from './types.js';

/** Parses CSV text into a dataset (no test set). @throws Error naming the line of a bad value. */
export function parseCsv(text: string, name = 'csv', options: { header?: boolean | 'auto' } = {}): Dataset {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (e) {
    throw new Error(`${name}: not a valid CSV file: ${(e as Error).message}`);
  }
  const isNum = (s: string) => s !== '' && Number.isFinite(Number(s));
  const header = options.header ?? 'auto';
  if (records.length && (header === true || (header === 'auto' && !records[0].slice(0, -1).every(isNum)))) records = records.slice(1);
  if (records.length === 0) throw new Error(`${name}: no data rows`);
  const cols = records[0].length - 1;
  if (cols < 1) throw new Error(`${name}: needs at least one feature column and a label column`);
  const data = new Float32Array(records.length * cols);
  const raw: string[] = [];
  records.forEach((rec, r) => {
    for (let c = 0; c < cols; c++) {
      const v = Number(rec[c]);
      if (!isNum(rec[c])) throw new Error(`${name}: data row ${r + 1}, column ${c + 1} is ${JSON.stringify(rec[c])}, not a finite number`);
      data[r * cols + c] = v;
    }
    raw.push(rec[cols]);
  });
  const distinct = [...new Set(raw)];
  let y: Int32Array, labels: 'pm1' | 'class', labelNames: string[] | undefined, classes: number;
  const nums = distinct.every(isNum) ? distinct.map(Number) : null;
  if (nums && nums.every((v) => v === 1 || v === -1)) {
    y = Int32Array.from(raw, Number); labels = 'pm1'; classes = 2;
  } else if (nums && nums.every((v) => Number.isInteger(v) && v >= 0) && Math.max(...nums) === nums.length - 1 && nums.length >= 2) {
    y = Int32Array.from(raw, Number); labels = 'class'; classes = nums.length;
  } else {
    labelNames = nums ? [...nums].sort((a, b) => a - b).map(String) : distinct.sort();
    const index = new Map(labelNames.map((s, k) => [s, k]));
    y = Int32Array.from(raw, (s) => index.get(nums ? String(Number(s)) : s)!);
    labels = 'class'; classes = labelNames.length;
  }
  return { name, train: { x: { data, rows: records.length, cols }, y }, classes, labels, labelNames };
}

/** Reads a CSV file (Node). @throws Error naming the file when it cannot be read. */
export async function loadCsv(path: string, options: { header?: boolean | 'auto' } = {}): Promise<Dataset> {
  const fs = await import('node:fs/promises');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`loadCsv: cannot read ${path}: ${(e as Error).message}`);
  }
  return parseCsv(text, path, options);
}
