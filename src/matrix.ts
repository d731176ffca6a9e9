// The small matrix type of the API: row-major f32 data with explicit shape.
// Element (r, c) of a Matrix is data[r*cols + c].

/** The largest finite f32. */
export const F32_MAX = 3.4028234663852886e38;

/** A row-major matrix: `data[r * cols + c]`. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** Anything `toMatrix` accepts: a Matrix-like object or an array of rows. */
export type MatrixLike = { data: ArrayLike<number>; rows: number; cols: number } | ArrayLike<number>[];

/** Labels: class indices or ±1 values (a vector), or real targets (a Matrix). */
export type Labels = ArrayLike<number> | MatrixLike;

/** Builds a Matrix, copying `data` to f32 when needed. @throws on a size mismatch. */
export function matrix(data: ArrayLike<number>, rows: number, cols: number): Matrix {
  return toMatrix({ data, rows, cols }, 'matrix');
}

/** Normalises and checks a matrix argument; `where` names the function and argument in errors.
 *  @throws Error naming the problem: bad shape, size mismatch, empty, NaN or infinite entries. */
export function toMatrix(m: MatrixLike, where: string, opts: { allowEmpty?: boolean } = {}): Matrix {
  let out: Matrix;
  if (Array.isArray(m) && m.length > 0 && !Array.isArray(m[0]) && !ArrayBuffer.isView(m[0])) {
    throw new Error(`${where}: expected an array of rows (number[][]) or { data, rows, cols }, got a flat array of ${m.length} values; ` +
      `wrap one sample as [[...]] or give its shape as { data, rows: 1, cols: ${m.length} }`);
  }
  if (Array.isArray(m)) {
    const rows = m.length;
    const cols = rows ? (m[0] as ArrayLike<number>).length : 0;
    const data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = m[r] as ArrayLike<number>;
      if (!row || row.length !== cols) throw new Error(`${where}: row ${r} has ${row?.length} values, row 0 has ${cols}`);
      for (let c = 0; c < cols; c++) {
        if (typeof row[c] !== 'number') throw new Error(`${where}: entry (${r}, ${c}) is ${JSON.stringify(row[c])}, not a number`);
        data[r * cols + c] = row[c];
      }
    }
    out = { data, rows, cols };
  } else if (m && typeof m === 'object' && 'data' in m) {
    const { rows, cols } = m;
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new Error(`${where}: rows and cols must be non-negative integers, got rows=${rows}, cols=${cols}`);
    }
    if (!m.data || m.data.length !== rows * cols) {
      throw new Error(`${where}: data has ${m.data?.length} values but rows*cols = ${rows}*${cols} = ${rows * cols}`);
    }
    if (Array.isArray(m.data)) {
      const k = m.data.findIndex((v) => typeof v !== 'number');
      if (k >= 0) throw new Error(`${where}: data[${k}] is ${JSON.stringify(m.data[k])}, not a number`);
    } else if (!ArrayBuffer.isView(m.data) || m.data instanceof BigInt64Array || m.data instanceof BigUint64Array) {
      throw new Error(`${where}: data must be a Float32Array, another numeric typed array or an array of numbers, got ${describe(m.data)}`);
    }
    out = { data: m.data instanceof Float32Array ? m.data : Float32Array.from(m.data), rows, cols };
  } else {
    throw new Error(`${where}: expected { data, rows, cols } or an array of rows, got ${describe(m)}`);
  }
  if (!opts.allowEmpty && (out.rows === 0 || out.cols === 0)) {
    throw new Error(`${where}: the matrix is empty (${out.rows} rows, ${out.cols} columns)`);
  }
  const bad = firstNonFinite(out.data);
  if (bad >= 0) {
    throw new Error(`${where}: entry (${Math.floor(bad / out.cols)}, ${bad % out.cols}) is ${out.data[bad]} in f32; inputs must be finite (|x| < 3.4e38)`);
  }
  return out;
}

/** Index of the first NaN or infinite value, or -1. */
export function firstNonFinite(a: ArrayLike<number>): number {
  for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k])) return k;
  return -1;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as any).length}`;
  return typeof v;
}

/** True for a vector of numbers (not an array of rows, not a Matrix). */
export function isVector(v: unknown): v is ArrayLike<number> {
  if (ArrayBuffer.isView(v)) return true;
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === 'number');
}
