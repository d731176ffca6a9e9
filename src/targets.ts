// Turning user labels into the f32 target rows a loss kernel reads, with the
// checks that keep bad labels away from the kernels, and the 0-1 error kind.
import type { LabelKind } from './ids.js';
import { isVector, toMatrix, type Labels } from './matrix.js';

/** Targets laid out for a loss: `width` floats per row. */
export interface Targets {
  data: Float32Array;
  rows: number;
  width: number;
  /** 0 sign, 1 argmax vs class, 2 argmax vs argmax(one-hot), 3 per-element threshold */
  errorKind: number;
}

/**
 * Checks `y` against a loss of label kind `kind` for a net with C outputs and
 * `rows` samples. @throws Error naming the first bad label and what was expected.
 */
export function prepareTargets(y: Labels, kind: LabelKind, lossName: string, C: number,
                               rows: number, where: string): Targets {
  if (Array.isArray(y) && y.length > 0 && typeof y[0] !== 'number' && !Array.isArray(y[0]) && !ArrayBuffer.isView(y[0])) {
    throw new TypeError(`${where}: labels must be numbers (class indices, ±1 or real targets), y[0] is ${typeof y[0]} ${String(y[0])}`);
  }
  if (isVector(y)) {
    const v = y as ArrayLike<number>;
    if (v.length !== rows) throw new Error(`${where}: ${v.length} labels for ${rows} rows of x`);
    for (let k = 0; k < v.length; k++) {
      if (typeof v[k] !== 'number') throw new TypeError(`${where}: y[${k}] is ${typeof v[k]} ${String(v[k])}, not a number`);
      // labels and targets reach the kernels as f32
      if (!Number.isFinite(Math.fround(v[k]))) throw new Error(`${where}: y[${k}] is ${v[k]}; labels must be finite in f32`);
    }
    switch (kind) {
      case 'pm1': {
        if (C !== 1) throw new Error(`${where}: loss "${lossName}" needs a net with 1 output (a score f, label y = ±1), this net has ${C}`);
        for (let k = 0; k < v.length; k++) {
          if (v[k] !== 1 && v[k] !== -1) throw new Error(`${where}: loss "${lossName}" needs labels +1 or -1, y[${k}] is ${v[k]}`);
        }
        return { data: Float32Array.from(v), rows, width: 1, errorKind: 0 };
      }
      case 'class': {
        if (C < 2) throw new Error(`${where}: loss "${lossName}" needs a net with at least 2 outputs (one score per class), this net has ${C}`);
        checkClasses(v, C, lossName, where);
        return { data: Float32Array.from(v), rows, width: 1, errorKind: 1 };
      }
      case 'real': {
        if (C === 1) return { data: Float32Array.from(v), rows, width: 1, errorKind: 0 };
        // class indices for a C-output net: one-hot targets
        checkClasses(v, C, lossName, where);
        const data = new Float32Array(rows * C);
        for (let k = 0; k < rows; k++) data[k * C + v[k]] = 1;
        return { data, rows, width: C, errorKind: 2 };
      }
      case 'prob': {
        if (C !== 1) throw new Error(`${where}: loss "${lossName}" with a vector of labels needs a net with 1 output; give a (rows, ${C}) matrix of targets for ${C} outputs`);
        checkProb(v, lossName, where);
        return { data: Float32Array.from(v), rows, width: 1, errorKind: 3 };
      }
    }
  }
  const m = toMatrix(y as any, `${where} (targets)`);
  if (m.rows !== rows) throw new Error(`${where}: ${m.rows} target rows for ${rows} rows of x`);
  if (m.cols !== C) throw new Error(`${where}: targets have ${m.cols} columns, the net has ${C} outputs`);
  if (kind === 'real') return { data: m.data, rows, width: C, errorKind: C === 1 ? 0 : 2 };
  if (kind === 'prob') { checkProb(m.data, lossName, where); return { data: m.data, rows, width: C, errorKind: 3 }; }
  throw new Error(`${where}: loss "${lossName}" takes a vector of ${kind === 'pm1' ? '±1 labels' : 'class indices'}, not a matrix`);
}

function checkClasses(v: ArrayLike<number>, C: number, lossName: string, where: string): void {
  for (let k = 0; k < v.length; k++) {
    if (!Number.isInteger(v[k]) || v[k] < 0 || v[k] >= C) {
      throw new Error(`${where}: loss "${lossName}" needs class indices 0..${C - 1}, y[${k}] is ${v[k]}`);
    }
  }
}

function checkProb(v: ArrayLike<number>, lossName: string, where: string): void {
  for (let k = 0; k < v.length; k++) {
    if (!(v[k] >= 0 && v[k] <= 1)) throw new Error(`${where}: loss "${lossName}" needs targets in [0, 1], target ${k} is ${v[k]}`);
  }
}
