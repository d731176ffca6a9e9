// MNIST, the real digits: loading the IDX files and a small training run.
import { describe, it, expect, beforeAll } from 'vitest';
import { Mlp, loadMnist, head } from '../src/index.js';
import { setup } from './helpers.js';

beforeAll(setup);

describe('MNIST', () => {
  it('loads 60,000 + 10,000 images of 784 pixels in [0, 1] with labels 0..9', async () => {
    const ds = await loadMnist();
    expect(ds.train.x.rows).toBe(60000);
    expect(ds.test!.x.rows).toBe(10000);
    expect(ds.train.x.cols).toBe(784);
    expect(Math.max(...ds.train.x.data.subarray(0, 784 * 10))).toBeLessThanOrEqual(1);
    expect(Array.from(ds.train.y.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]); // the well-known first labels
    expect(Array.from(ds.test!.y.subarray(0, 3))).toEqual([7, 2, 1]);
  });

  it('trained on 2,000 images for a few epochs reaches test error <= 12% on the 10,000 test images', async () => {
    const ds = await loadMnist();
    const small = head(ds.train, 2000);
    const net = new Mlp({ sizes: [784, 128, 10], activation: 'relu', seed: 1 });
    net.fit(small.x, small.y, { loss: 'cross_entropy', lr: 0.1, epochs: 10, batchSize: 32, seed: 1 });
    const r = net.evaluate(ds.test!.x, ds.test!.y, { loss: 'cross_entropy' });
    expect(r.rows).toBe(10000);
    expect(r.error).toBeLessThanOrEqual(0.12);
    expect(r.error).toBeGreaterThan(0.02); // 2,000 images cannot do as well as 60,000
  });

  it('restricted to digits 3 and 5 relabels them 0 and 1', async () => {
    const ds = await loadMnist({ digits: [3, 5] });
    expect(ds.classes).toBe(2);
    expect(new Set(ds.train.y)).toEqual(new Set([0, 1]));
    expect(ds.train.x.rows).toBe(6131 + 5421);
  });

  it('from a folder without the files fails with an error naming the folder and file', async () => {
    await expect(loadMnist({ dir: '/nonexistent/mnist' })).rejects.toThrow(/\/nonexistent\/mnist.*train-images-idx3-ubyte/);
  });
});
