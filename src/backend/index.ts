// Choosing a backend: `init()` loads the wasm core once per thread; the plain
// TypeScript backend needs no loading. Models take `backend: 'wasm' | 'js'`.
import type { Kernels } from './types.js';
import { checkOptions } from '../options.js';
import { JsKernels } from './js/kernels.js';
import { loadWasm, defaultWasmUrl, relaxedSimdSupported, type WasmSource } from './wasm.js';

export type { Kernels } from './types.js';
export type { WasmSource } from './wasm.js';
export { relaxedSimdSupported } from './wasm.js';

/** Options of {@link init}. */
export interface InitOptions {
  /** The module: a path or URL, bytes or a compiled WebAssembly.Module. Default: build/neurone.wasm beside the package. */
  wasm?: WasmSource;
  /** 'auto' (default): relaxed SIMD where the engine validates it, else plain SIMD; 'relaxed' or 'simd' to force one. */
  simd?: 'auto' | 'relaxed' | 'simd';
}

let wasmKernels: Kernels | null = null;
let jsKernels: JsKernels | null = null;

/**
 * Loads the wasm core; call once (per thread) before building models.
 * @example
 *   await init();
 *   const net = new Mlp({ sizes: [784, 128, 10], activation: 'relu', seed: 1 });
 * @returns the loaded kernels (their `name` says 'wasm' or 'wasm-relaxed').
 * @throws Error if the module cannot be read or compiled, or 'relaxed' is forced on an engine without it.
 */
export async function init(options: InitOptions = {}): Promise<Kernels> {
  options = checkOptions(options, ['wasm', 'simd'], 'init');
  const mode = options.simd ?? 'auto';
  if (!['auto', 'relaxed', 'simd'].includes(mode)) {
    throw new RangeError(`init: simd must be 'auto', 'relaxed' or 'simd', got ${JSON.stringify(mode)}`);
  }
  const canRelax = relaxedSimdSupported();
  if (mode === 'relaxed' && !canRelax) {
    throw new Error("init: simd 'relaxed' was asked for, but this engine does not validate relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)");
  }
  const relaxed = options.wasm === undefined && (mode === 'relaxed' || (mode === 'auto' && canRelax));
  wasmKernels = await loadWasm(options.wasm ?? defaultWasmUrl(relaxed), relaxed);
  return wasmKernels;
}

/** True once {@link init} has loaded the wasm core in this thread. */
export function isInitialized(): boolean { return wasmKernels !== null; }

/** The kernels for a backend name (or the kernels object itself). */
export function getKernels(backend: 'wasm' | 'js' | Kernels = 'wasm', where = 'neurone'): Kernels {
  if (typeof backend === 'object' && backend !== null) {
    if (typeof (backend as Kernels).alloc !== 'function' || typeof (backend as Kernels).trainStep !== 'function') {
      throw new TypeError(`${where}: backend must be 'wasm', 'js' or a Kernels object (with alloc, trainStep, ...)`);
    }
    return backend;
  }
  if (backend === 'js') return (jsKernels ??= new JsKernels());
  if (backend === 'wasm') {
    if (!wasmKernels) throw new Error(`${where}: the wasm backend is not loaded; call "await init()" first (or pass backend: 'js')`);
    return wasmKernels;
  }
  throw new RangeError(`${where}: backend must be 'wasm' or 'js', got ${JSON.stringify(backend)}`);
}

/**
 * The safety net for backend memory: an object registered here with its
 * block frees that block when it is garbage-collected without dispose()
 * (models, optimizers, memorisers). Internal.
 */
export const arenaRegistry = typeof FinalizationRegistry === 'undefined' ? null
  : new FinalizationRegistry<{ k: Kernels; ptr: number }>(({ k, ptr }) => k.free(ptr));
