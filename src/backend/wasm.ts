// The wasm backend: loads build/neurone.wasm (or its relaxed-SIMD twin) with
// @assemblyscript/loader, in Node from the file and in browsers from a URL or
// bytes, and exposes its exports as Kernels.
import { instantiate } from '@assemblyscript/loader';
import type { Kernels } from './types.js';

type Exports = Record<string, any> & { memory: WebAssembly.Memory };

/** The largest block the wasm allocator takes (TLSF's limit, less its header). */
export const MAX_BLOCK_BYTES = 2 ** 30 - 64;

/** Where the module comes from: a path or URL, raw bytes, or a compiled module. */
export type WasmSource = string | URL | ArrayBuffer | Uint8Array | WebAssembly.Module;

class WasmKernels implements Kernels {
  readonly name: 'wasm' | 'wasm-relaxed';
  private readonly ex: Exports;
  private buf: ArrayBuffer | null = null;
  private v32!: Float32Array; private vi32!: Int32Array; private vu32!: Uint32Array; private v64!: Float64Array;

  constructor(ex: Exports, relaxed: boolean, readonly module: WebAssembly.Module) {
    this.ex = ex;
    this.name = relaxed ? 'wasm-relaxed' : 'wasm';
    this.views();
  }

  // A grown memory gets a new ArrayBuffer and detaches every view on the old
  // one: this is the one place that re-creates them, checked on every access.
  private views(): void {
    const b = this.ex.memory.buffer as ArrayBuffer;
    if (b === this.buf) return;
    this.buf = b;
    this.v32 = new Float32Array(b); this.vi32 = new Int32Array(b);
    this.vu32 = new Uint32Array(b); this.v64 = new Float64Array(b);
  }
  f32(): Float32Array { this.views(); return this.v32; }
  i32(): Int32Array { this.views(); return this.vi32; }
  u32(): Uint32Array { this.views(); return this.vu32; }
  f64(): Float64Array { this.views(); return this.v64; }

  alloc(bytes: number): number {
    if (!(bytes > 0)) bytes = 16;
    // AssemblyScript's allocator (TLSF) takes blocks below 1 GiB, in a memory
    // of at most 4 GiB; a larger size would wrap around in the 32-bit call.
    if (bytes > MAX_BLOCK_BYTES) {
      throw new RangeError(`neurone: this needs one block of ${(bytes / 2 ** 30).toFixed(2)} GiB of wasm memory; ` +
        `the wasm core takes blocks below 1 GiB (smaller layers or batches fit; backend 'js' takes up to 2 GiB in all)`);
    }
    let p: number;
    try {
      p = this.ex.alloc(bytes) >>> 0;
    } catch (e) {
      throw new RangeError(`neurone: cannot allocate ${bytes} bytes of wasm memory: ${(e as Error).message} ` +
        `(the module's memory holds ${(this.ex.memory.buffer.byteLength / 2 ** 30).toFixed(2)} GiB of at most 4 GiB)`);
    }
    this.views();
    return p;
  }
  free(ptr: number): void { if (ptr) this.ex.free(ptr); }

  gemmAcc(c: number, a: number, aRow: number, aCol: number, bm: number, M: number, N: number, K: number, act: number) {
    this.ex.gemmAcc(c, a, aRow, aCol, bm, M, N, K, act);
  }
  transpose(dst: number, src: number, rows: number, cols: number) { this.ex.transpose(dst, src, rows, cols); }
  denseForward(y: number, x: number, w: number, bias: number, wt: number, B: number, nIn: number, nOut: number, act: number) {
    this.ex.denseForward(y, x, w, bias, wt, B, nIn, nOut, act);
  }
  denseBackward(dX: number, dW: number, dBias: number, dY: number, x: number, w: number, B: number, nIn: number, nOut: number) {
    this.ex.denseBackward(dX, dW, dBias, dY, x, w, B, nIn, nOut);
  }
  activationForward(id: number, a: number, y: number, n: number, p0: number, p1: number) {
    this.ex.activationForward(id, a, y, n, p0, p1);
  }
  activationBackward(id: number, dY: number, dA: number, y: number, a: number, n: number, p0: number, p1: number) {
    this.ex.activationBackward(id, dY, dA, y, a, n, p0, p1);
  }
  rreluForward(a: number, y: number, noise: number, n: number, lower: number, upper: number, rng: number) {
    this.ex.rreluForward(a, y, noise, n, lower, upper, rng);
  }
  lossForward(id: number, dS: number, s: number, t: number, B: number, C: number, reduction: number, p0: number, p1: number): number {
    return this.ex.lossForward(id, dS, s, t, B, C, reduction, p0, p1);
  }
  errorCount(kind: number, s: number, t: number, B: number, C: number): number {
    return this.ex.errorCount(kind, s, t, B, C);
  }
  optimStep(id: number, p: number, g: number, state: number, n: number, hp: number, t: number) {
    this.ex.optimStep(id, p, g, state, n, hp, t);
  }
  trainStep(plan: number, rows: number, update: number): number { return this.ex.trainStep(plan, rows, update); }
  evaluate(plan: number, rows: number): number { return this.ex.evaluate(plan, rows); }
  predict(plan: number, rows: number): void { this.ex.predict(plan, rows); }
  peakProbe(iters: number): number { return this.ex.peakProbe(iters); }
  peakFlopsPerIter(): number { return this.ex.peakFlopsPerIter(); }
  memorizerForward(out: number, x: number, q: number, cls: number, val: number,
                   B: number, N: number, D: number, C: number) {
    this.ex.memorizerForward(out, x, q, cls, val, B, N, D, C);
  }
  l1MinPairDistance(x: number, order: number, norm: number, pair: number, N: number, D: number): number {
    return this.ex.l1MinPairDistance(x, order, norm, pair, N, D);
  }
  svmSolve(x: number, y: number, alpha: number, w: number, F: number, sq: number,
           up: number, low: number, work: number, stats: number,
           n: number, d: number, C: number, tol: number, maxIter: number): number {
    return this.ex.svmSolve(x, y, alpha, w, F, sq, up, low, work, stats, n, d, C, tol, maxIter);
  }
}

const isNode = typeof process !== 'undefined' && !!(process as any).versions?.node;

async function bytesOf(src: string | URL): Promise<Uint8Array> {
  const url = src instanceof URL ? src : /^[a-z]+:/i.test(src) && !/^[a-z]:[\\/]/i.test(src) ? new URL(src) : null;
  if (isNode && (url === null || url.protocol === 'file:')) {
    const fs = await import('node:fs/promises');
    try {
      return new Uint8Array(await fs.readFile(url ?? src));
    } catch (e) {
      throw new Error(`neurone.init: cannot read the wasm module at ${String(url ?? src)}: ${(e as Error).message}` +
        ' (run "npm run build" to produce build/neurone.wasm)');
    }
  }
  const res = await fetch(url ?? src);
  if (!res.ok) throw new Error(`neurone.init: fetching ${String(url ?? src)} failed with HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** True when this engine validates relaxed-SIMD modules (Node 20 needs --experimental-wasm-relaxed-simd). */
export function relaxedSimdSupported(): boolean {
  // (module (func (result v128) v128.const i32x4 0 0 0 0 v128.const ... v128.const ... f32x4.relaxed_madd))
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0,
    253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    253, 133, 2, 11]);
  try { return WebAssembly.validate(probe); } catch { return false; }
}

/** Instantiates the wasm core from `source` (bytes, module, path or URL). */
export async function loadWasm(source: WasmSource, relaxed: boolean): Promise<Kernels> {
  let mod: WebAssembly.Module;
  if (source instanceof WebAssembly.Module) mod = source;
  else {
    const bytes = source instanceof ArrayBuffer || source instanceof Uint8Array ? source : await bytesOf(source);
    try {
      mod = await WebAssembly.compile(bytes as BufferSource);
    } catch (e) {
      throw new Error(`neurone.init: the bytes given are not a valid WebAssembly module for this engine: ${(e as Error).message}`);
    }
  }
  // a module of someone else's (or an old build) lacks some of the kernels
  const names = new Set(WebAssembly.Module.exports(mod).map((d) => d.name));
  const missing = REQUIRED_EXPORTS.filter((n) => !names.has(n));
  if (missing.length) {
    throw new Error(`neurone.init: this WebAssembly module is not neurone's core (it lacks ${missing.slice(0, 5).join(', ')}` +
      `${missing.length > 5 ? ', ...' : ''}); load build/neurone.wasm of the same version, or run "npm run build"`);
  }
  const { exports } = await instantiate<Exports>(mod, {});
  return new WasmKernels(exports as Exports, relaxed, mod);
}

// Every export the kernel interface calls (assembly/index.ts).
const REQUIRED_EXPORTS = ['memory', 'alloc', 'free', 'gemmAcc', 'transpose', 'denseForward', 'denseBackward',
  'activationForward', 'activationBackward', 'rreluForward', 'lossForward', 'errorCount', 'optimStep', 'trainStep',
  'evaluate', 'predict', 'peakProbe', 'peakFlopsPerIter', 'memorizerForward', 'l1MinPairDistance', 'svmSolve'];

// Set to true by the browser bundle's build (esbuild --define), which sits at
// dist/neurone.browser.js, one folder above build/ instead of two.
declare const NEURONE_BUNDLED: boolean | undefined;

/** The default location of a module next to the package (build/). */
export function defaultWasmUrl(relaxed: boolean): URL {
  const up = typeof NEURONE_BUNDLED !== 'undefined' && NEURONE_BUNDLED ? '../' : '../../';
  return new URL(`${up}build/${relaxed ? 'neurone-relaxed.wasm' : 'neurone.wasm'}`, import.meta.url);
}
