// Datasets: the lecture's four points, seeded toy sets, CSV files.
import { describe, it, expect } from 'vitest';
import { xor4, moons, circles, spirals, blobs, parseCsv, toPm1, loadDataset } from '../src/index.js';

describe('xor4', () => {
  it('is the lecture\'s four points with labels +1, +1, -1, -1', () => {
    const { train, labels } = xor4();
    expect(Array.from(train.x.data)).toEqual([1, 0, -1, 0, 0, 1, 0, -1]);
    expect(Array.from(train.y)).toEqual([1, 1, -1, -1]);
    expect(labels).toBe('pm1');
  });
});

describe('toy sets', () => {
  it.each([['moons', moons], ['circles', circles], ['spirals', spirals], ['blobs', blobs]] as const)(
    '%s: the same seed gives the same points, another seed other points', (_name, gen) => {
      const a = gen({ n: 50, seed: 3 }), b = gen({ n: 50, seed: 3 }), c = gen({ n: 50, seed: 4 });
      expect(Array.from(a.train.x.data)).toEqual(Array.from(b.train.x.data));
      expect(Array.from(a.train.x.data)).not.toEqual(Array.from(c.train.x.data));
      expect(a.train.x.rows).toBe(50);
      expect(a.test!.x.rows).toBe(50);
      expect(Array.from(a.train.x.data).every(Number.isFinite)).toBe(true);
      expect(Math.max(...a.train.y)).toBe(a.classes - 1);
    });

  it('moons without noise lie on the two half circles', () => {
    const { train } = moons({ n: 40, noise: 0, seed: 1 });
    for (let r = 0; r < 40; r++) {
      const [px, py] = [train.x.data[2 * r], train.x.data[2 * r + 1]];
      const [cx, cy] = train.y[r] === 0 ? [0, 0] : [1, 0.5];
      expect(Math.hypot(px - cx, py - cy)).toBeCloseTo(1, 5);
    }
  });

  it('circles without noise have radius 1 (class 0) and factor (class 1)', () => {
    const { train } = circles({ n: 20, noise: 0, factor: 0.3 });
    for (let r = 0; r < 20; r++) expect(Math.hypot(train.x.data[2 * r], train.x.data[2 * r + 1])).toBeCloseTo(train.y[r] === 0 ? 1 : 0.3, 5);
  });

  it('refuse bad parameters by name', () => {
    expect(() => moons({ n: 0 })).toThrow(/moons: n must be a positive integer/);
    expect(() => circles({ factor: 2 })).toThrow(/factor must be in \(0, 1\)/);
    expect(() => moons({ noise: -1 })).toThrow(/noise must be a finite number >= 0/);
  });

  it('toPm1 maps 0/1 to -1/+1 and refuses anything else', () => {
    expect(Array.from(toPm1([0, 1, 1, 0]))).toEqual([-1, 1, 1, -1]);
    expect(() => toPm1([0, 2])).toThrow(/y\[1\] is 2/);
  });
});

describe('CSV', () => {
  it('reads features then a label, with or without a header', () => {
    const a = parseCsv('x1,x2,label\n1,2,0\n3,4,1\n5,6,1\n');
    const b = parseCsv('1,2,0\n3,4,1\n5,6,1\n');
    for (const d of [a, b]) {
      expect(d.train.x).toEqual({ data: Float32Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 });
      expect(Array.from(d.train.y)).toEqual([0, 1, 1]);
      expect(d.labels).toBe('class');
    }
  });

  it('keeps ±1 labels and maps other labels to class indices, keeping their names', () => {
    expect(parseCsv('0,1,-1\n1,0,1\n').labels).toBe('pm1');
    const d = parseCsv('0,0,cat\n1,1,dog\n2,2,cat\n');
    expect(Array.from(d.train.y)).toEqual([0, 1, 0]);
    expect(d.labelNames).toEqual(['cat', 'dog']);
    const e = parseCsv('0,0,3\n1,1,5\n');
    expect(Array.from(e.train.y)).toEqual([0, 1]);
    expect(e.labelNames).toEqual(['3', '5']);
  });

  it('names the line and column of a bad value, and ragged rows', () => {
    expect(() => parseCsv('1,2,0\n3,x,1\n', 'bad.csv')).toThrow(/bad\.csv: line 2, column 2 is "x", not a finite number/);
    expect(() => parseCsv('a,b,c\n1,2,0\n\n3,x,1\n', 'bad.csv')).toThrow(/bad\.csv: line 4, column 2 is "x"/);
    expect(() => parseCsv('1,2,0\n3,1\n', 'ragged.csv')).toThrow(/ragged\.csv: not a valid CSV/);
  });

  it('a missing file or an unknown dataset name is a clear error', async () => {
    await expect(loadDataset('/nonexistent/file.csv')).rejects.toThrow(/cannot read \/nonexistent\/file\.csv/);
    await expect(loadDataset('mnits')).rejects.toThrow(/unknown dataset "mnits"; accepted: mnist, xor4/);
  });
});
