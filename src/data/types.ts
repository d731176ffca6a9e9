import type { Matrix } from '../matrix.js';

/** A labelled set: features (rows, cols) and one label per row. */
export interface LabelledSet {
  x: Matrix;
  /** class indices 0..K-1, or ±1 for the lecture's binary sets */
  y: Int32Array;
}

/** A dataset: a training set, an optional test set, and what the labels mean. */
export interface Dataset {
  name: string;
  train: LabelledSet;
  test?: LabelledSet;
  /** number of classes (2 for ±1 labels) */
  classes: number;
  /** 'pm1' when the labels are ±1, 'class' when they are 0..classes-1 */
  labels: 'pm1' | 'class';
  /** the original label of each class index when the indices are not the labels themselves
   *  (CSV labels other than ±1 or 0..K-1; the digits of an MNIST subset) */
  labelNames?: string[];
}
