// Bad input to the data loaders: every case is an error naming the problem
// (line and column for CSV cells), never a silently dropped row, a phantom
// class, Infinity in the data, a raw TypeError or an exhausted heap.
import { describe, it, expect } from 'vitest';
import { parseCsv, loadCsv, loadMnist, loadDataset, moons, circles, spirals, blobs, toPm1,
         MAX_TOY_POINTS } from '../src/index.js';
import { asPm1, dataFrom } from '../src/cli/common.js';

const ys = (s: string, o?: { header?: boolean | 'auto' }) => Array.from(parseCsv(s, 'f.csv', o).train.y);

describe('CSV: the first row', () => {
  it('a first row with a bad cell is an error at line 1, not a header that drops the row', () => {
    expect(() => parseCsv('NaN,2,0\n1,2,1\n3,4,0\n', 'f.csv')).toThrow(/f\.csv: line 1, column 1 is "NaN", not a finite number \(line 1 is read as data .*header: true/);
    expect(() => parseCsv(' ,2,0\n1,2,1\n3,4,0\n', 'f.csv')).toThrow(/f\.csv: line 1, column 1 is empty/);
    expect(() => parseCsv('"1,2",3,0\n1,2,1\n3,4,0\n', 'f.csv')).toThrow(/f\.csv: line 1, column 1 is "1,2", not a finite number/);
  });

  it('a row of names is a header; header: true / false say it outright', () => {
    const d = parseCsv('x1,x2,label\n1,2,0\n3,4,1\n');
    expect(d.train.x.rows).toBe(2);
    expect(Array.from(d.train.x.data)).toEqual([1, 2, 3, 4]);
    expect(parseCsv(',a,label\n0,1.5,1\n1,2.5,-1\n').train.x.rows).toBe(2); // pandas' unnamed index column
    const h = parseCsv('10,20,label\n1,2,0\n3,4,1\n', 'f.csv', { header: true });
    expect(Array.from(h.train.x.data)).toEqual([1, 2, 3, 4]);
    expect(() => parseCsv('a,b\n1,0\n', 'f.csv', { header: false })).toThrow(/line 1, column 1 is "a"/);
    expect(() => parseCsv('1,0\n', 'f.csv', { header: 'yes' as never })).toThrow(/header must be 'auto', true or false, got a string "yes"/);
    expect(() => parseCsv('x,y\n', 'f.csv')).toThrow(/f\.csv: no data rows \(only the header line 1\)/);
    expect(() => parseCsv('', 'f.csv')).toThrow(/f\.csv: no data rows \(the file is empty\)/);
  });

  it('a UTF-8 byte-order mark does not turn the first row into a header', () => {
    const d = parseCsv('\uFEFF1,2,0\n3,4,1\n');
    expect(Array.from(d.train.x.data)).toEqual([1, 2, 3, 4]);
  });
});

describe('CSV: cells', () => {
  it('an empty or non-numeric cell later on names its line (blank lines and quoted newlines counted) and column', () => {
    expect(() => parseCsv('1,2,0\n3,,1\n', 'f.csv')).toThrow(/f\.csv: line 2, column 2 is empty/);
    expect(() => parseCsv('1,0\n\n3,"a\nb"\n4,c\n5,\n', 'f.csv')).toThrow(/f\.csv: line 6, column 2 \(the label\) is empty/);
    expect(() => parseCsv('1,0\n0x10,1\n', 'f.csv')).toThrow(/line 2, column 1 is "0x10", not a finite number/);
  });

  it('a feature beyond f32 is refused at parse time with its line and column', () => {
    expect(() => parseCsv('1e39,0\n2,1\n', 'f.csv')).toThrow(/f\.csv: line 1, column 1 is 1e39, beyond f32/);
    expect(() => parseCsv('1,0\n2,1\n-4e38,0\n', 'f.csv')).toThrow(/f\.csv: line 3, column 1 is -4e38, beyond f32/);
    expect(parseCsv('3e38,0\n2,1\n').train.x.data[0]).toBe(Math.fround(3e38));
  });

  it('a trailing comma on every line is named, instead of shifting the label into the features', () => {
    expect(() => parseCsv('1,2,0,\n3,4,1,\n5,6,1,\n', 'f.csv'))
      .toThrow(/f\.csv: column 4, the label column, is empty on every line: the lines end with a comma\? Remove the trailing commas/);
    expect(() => parseCsv('a,b,c,\n1,2,0,\n3,4,1,\n', 'f.csv')).toThrow(/column 4, the label column, is empty on every line/);
  });

  it('text that is not a string is refused clearly', () => {
    expect(() => parseCsv(null as never)).toThrow(/parseCsv: text must be the CSV contents as a string, got null/);
    expect(() => parseCsv(Buffer.from('1,0') as never)).toThrow(/got a Buffer \(decode it first/);
    expect(() => parseCsv('1,0\n', 42 as never)).toThrow(/parseCsv: name must be a string/);
    expect(() => parseCsv('1,0\n', 'f.csv', { headr: true } as never)).toThrow(/parseCsv: unknown option "headr"; did you mean "header"\?/);
    expect(parseCsv('1,0\n2,1\n', 'f.csv', null as never).classes).toBe(2);
  });
});

describe('CSV: labels', () => {
  it('numeric labels are compared as numbers: 01 and 1 are one class', () => {
    const d = parseCsv('1,01\n2,1\n3,0\n4,1.0\n');
    expect(d.classes).toBe(2);
    expect(d.labels).toBe('class');
    expect(Array.from(d.train.y)).toEqual([1, 1, 0, 1]);
    expect(d.labelNames).toBeUndefined();
    const e = parseCsv('1,5\n2,03\n3,3\n4,-0.5\n');
    expect(e.labelNames).toEqual(['-0.5', '3', '5']);
    expect(Array.from(e.train.y)).toEqual([2, 1, 1, 0]);
    expect(ys('1,-0\n2,0\n3,1\n')).toEqual([0, 0, 1]);
    expect(parseCsv('1,+1\n2,-1\n3,1\n').labels).toBe('pm1');
  });

  it('text labels stay names; a label that is NaN or beyond f64 is an error', () => {
    const d = parseCsv('1,cat\n2,dog\n3,cat\n');
    expect(d.labelNames).toEqual(['cat', 'dog']);
    expect(Array.from(d.train.y)).toEqual([0, 1, 0]);
    expect(() => parseCsv('1,nan\n2,0\n', 'f.csv')).toThrow(/f\.csv: line 1, column 2 \(the label\) is nan; numeric labels must be finite/);
    expect(() => parseCsv('1,1e400\n2,0\n', 'f.csv')).toThrow(/line 1, column 2 \(the label\) is 1e400/);
  });

  it('loadCsv refuses a non-string path and unknown options', async () => {
    await expect(loadCsv(undefined as never)).rejects.toThrow(/loadCsv: path must be a file name, got undefined/);
    await expect(loadCsv('/nonexistent.csv', { hedaer: 1 } as never)).rejects.toThrow(/loadCsv: unknown option "hedaer"/);
  });
});

describe('MNIST options', () => {
  it('digits must be an array of distinct digits', async () => {
    await expect(loadMnist({ digits: '35' as never })).rejects.toThrow(/loadMnist: digits must be an array of distinct integers 0\.\.9 such as \[3, 5\], got a string "35"/);
    await expect(loadMnist({ digits: [3, '5'] as never })).rejects.toThrow(/digits must be distinct integers 0\.\.9 .*got \[3,"5"\]/);
    await expect(loadMnist({ digits: [3, 3] })).rejects.toThrow(/distinct integers/);
    await expect(loadMnist({ dir: 5 as never })).rejects.toThrow(/loadMnist: dir must be a folder name, got 5/);
    await expect(loadMnist({ trainSize: '10' as never })).rejects.toThrow(/trainSize must be a positive integer, got a string "10"/);
  });

  it('a digit subset names its classes by digit', async () => {
    const d = await loadMnist({ digits: [5, 3], trainSize: 20, testSize: 5 });
    expect(d.labelNames).toEqual(['5', '3']);
    expect(d.classes).toBe(2);
    expect(d.train.x.rows).toBe(20);
    expect(Array.from(d.train.y).every((v) => v === 0 || v === 1)).toBe(true);
  });
});

describe('toy sets: bounds and finite data', () => {
  it('n and nTest have an upper bound, stated, and are checked before anything is generated', () => {
    const t0 = performance.now();
    expect(MAX_TOY_POINTS).toBe(10_000_000);
    expect(() => moons({ n: 1e9 })).toThrow(/moons: n must be a positive integer \(at most 10,000,000\), got 1000000000/);
    expect(() => circles({ nTest: 1e9 })).toThrow(/circles: nTest must be a non-negative integer \(at most 10,000,000\)/);
    expect(() => blobs({ n: 1e6, dim: 1000 })).toThrow(/blobs: n = 1,000,000 points of dimension 1000 make 1,000,000,000 values, above the limit of 100,000,000/);
    expect(() => blobs({ centers: 1e9 })).toThrow(/blobs: centers must be an integer from 2 to 1000/);
    expect(() => spirals({ arms: 1e9 })).toThrow(/spirals: arms must be an integer from 2 to 1000/);
    expect(() => moons({ n: '5' as never })).toThrow(/n must be a positive integer .*got "5"/);
    expect(() => moons({ seed: 1.5 })).toThrow(/moons: seed must be an integer, got 1\.5/);
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('noise that would overflow f32 is refused; the data are always finite', () => {
    expect(() => moons({ noise: 1e39 })).toThrow(/moons: noise must be a finite number >= 0, got 1e\+39/);
    expect(() => moons({ noise: 3e38, n: 50 })).toThrow(/moons: noise 3e\+38 makes training point \d+, coordinate \d, (-)?Infinity in f32/);
    const d = moons({ noise: 1e30, n: 20 });
    expect(Array.from(d.train.x.data).every(Number.isFinite)).toBe(true);
    expect(Array.from(d.test!.x.data).every(Number.isFinite)).toBe(true);
  });

  it('options null is {}; the generated points are unchanged by the rewrite (seeded values)', () => {
    expect(moons(null as never).train.x.rows).toBe(200);
    const a = moons({ n: 3, seed: 2, noise: 0 }).train;
    // point 0 is class 0 on the unit half circle, point 1 class 1 on the shifted one
    expect(Math.hypot(a.x.data[0], a.x.data[1])).toBeCloseTo(1, 6);
    expect(Math.hypot(a.x.data[2] - 1, a.x.data[3] - 0.5)).toBeCloseTo(1, 6);
    expect(Array.from(a.y)).toEqual([0, 1, 0]);
    expect(blobs({ n: 4, dim: 3, seed: 1 }).train.x.cols).toBe(3);
  });

  it('toPm1 refuses what is not an array', () => {
    expect(() => toPm1(null as never)).toThrow(/toPm1: y must be an array of 0\/1 labels, got null/);
  });

  it('loadDataset refuses unknown options and a name that is not a string', async () => {
    await expect(loadDataset('moons', { noize: 1 } as never)).rejects.toThrow(/loadDataset: unknown option "noize"; did you mean "noise"\?/);
    await expect(loadDataset(7 as never)).rejects.toThrow(/loadDataset: name must be a dataset name or a \.csv path, got number/);
  });
});

describe('CLI dataset helpers', () => {
  it('asPm1 names the digits of --digits 3,5 in its note', async () => {
    const ds = await dataFrom({ data: 'mnist', digits: [3, 5], n: 30, nTest: 5 });
    const { y, note } = asPm1(ds, ds.train.y);
    expect(note).toBe('labels mapped: 3 -> -1, 5 -> +1');
    expect(Array.from(y).every((v) => v === 1 || v === -1)).toBe(true);
    expect(Array.from(y)).toEqual(Array.from(ds.train.y, (v) => (v === 1 ? 1 : -1)));
  });

  it('asPm1 keeps naming CSV labels, and 0/1 indices as such', () => {
    const cats = parseCsv('1,cat\n2,dog\n');
    expect(asPm1(cats, cats.train.y).note).toBe('labels mapped: cat -> -1, dog -> +1');
    const idx = parseCsv('1,0\n2,1\n');
    expect(asPm1(idx, idx.train.y).note).toBe('labels mapped: 0 -> -1, 1 -> +1');
  });

  it('options a dataset does not use are refused', async () => {
    await expect(dataFrom({ data: 'xor4', noise: 0.2 })).rejects.toThrow(/--noise applies to the toy sets \(moons, circles, spirals, blobs\) only \(the data here is xor4\)/);
    await expect(dataFrom({ data: 'mnist', dataSeed: 3 })).rejects.toThrow(/--data-seed applies to the toy sets .*the data here is mnist/);
    await expect(dataFrom({ data: 'xor4', n: 10 })).rejects.toThrow(/--n applies to the toy sets and mnist only/);
    expect((await dataFrom({ data: 'moons', n: 10, noise: 0, dataSeed: 1 })).train.x.rows).toBe(10);
  });
});
