import { instantiate } from '@assemblyscript/loader';
import { readFileSync } from 'node:fs';
const files = process.argv.slice(2);
const mods = [];
for (const f of files) mods.push((await instantiate(readFileSync(f), {})).exports);
const sizes = [[128,128,128],[512,512,512],[1024,1024,1024],[128,256,784],[256,784,128]];
function setup(ex, M, N, K) {
  const a = ex.alloc(M*K*4), b = ex.alloc(K*N*4), c = ex.alloc(M*N*4);
  const f = new Float32Array(ex.memory.buffer);
  for (let i = 0; i < M*K; i++) f[(a>>2)+i] = Math.random();
  for (let i = 0; i < K*N; i++) f[(b>>2)+i] = Math.random();
  return { a, b, c };
}
function time(fn, reps) { const t0 = performance.now(); for (let r = 0; r < reps; r++) fn(); return (performance.now() - t0) / 1000 / reps; }
for (const ex of mods) for (let w = 0; w < 30; w++) ex.peakProbe(1e5);
for (const [M, N, K] of sizes) {
  const flops = 2 * M * N * K, reps = Math.max(2, Math.round(3e8 / flops));
  const bufs = mods.map((ex) => setup(ex, M, N, K));
  const ratios = mods.map(() => ({ NN: [], TN: [] }));
  for (let round = 0; round < 7; round++) {
    mods.forEach((ex, i) => {
      const { a, b, c } = bufs[i];
      for (const [o, aRow, aCol] of [['NN', K, 1], ['TN', 1, M]]) {
        ex.gemmAcc(c, a, aRow, aCol, b, M, N, K, 0);
        const tp = time(() => ex.peakProbe(1e6), 5), peak = 1e6 * 96 / tp;
        const tk = time(() => ex.gemmAcc(c, a, aRow, aCol, b, M, N, K, 0), reps);
        ratios[i][o].push((flops / tk) / peak);
      }
    });
  }
  const med = (xs) => xs.sort((p, q) => p - q)[xs.length >> 1];
  console.log(`${M}x${K}·${K}x${N}`, mods.map((_, i) => `[${files[i].split('/').pop()}] NN ${med(ratios[i].NN).toFixed(2)} TN ${med(ratios[i].TN).toFixed(2)}`).join('  '));
}
