// The built module really is SIMD code: walk the binary's code section and
// count instructions with the 0xfd (SIMD) prefix, instead of trusting a flag.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';

function leb(bytes: Uint8Array, at: number): [number, number] {
  let v = 0, shift = 0, b: number;
  do { b = bytes[at++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  return [v >>> 0, at];
}

// Returns the code section's bytes (section id 10).
function codeSection(bytes: Uint8Array): Uint8Array {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    const [size, next] = leb(bytes, at);
    if (id === 10) return bytes.subarray(next, next + size);
    at = next + size;
  }
  throw new Error('no code section');
}

describe('build/neurone.wasm', () => {
  const bytes = new Uint8Array(readFileSync(new URL('../build/neurone.wasm', import.meta.url)));

  it('is a wasm module', () => {
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
  });

  it('contains f32x4 multiply-adds and v128 loads in its code section', () => {
    const code = codeSection(bytes);
    // 0xfd prefix, then the LEB128 opcode: v128.load = 0x00, f32x4.mul = 0xe6 0x01, f32x4.add = 0xe4 0x01
    let loads = 0, muls = 0, adds = 0;
    for (let k = 0; k + 2 < code.length; k++) {
      if (code[k] !== 0xfd) continue;
      if (code[k + 1] === 0x00) loads++;
      if (code[k + 1] === 0xe6 && code[k + 2] === 0x01) muls++;
      if (code[k + 1] === 0xe4 && code[k + 2] === 0x01) adds++;
    }
    expect(loads).toBeGreaterThan(10);
    expect(muls).toBeGreaterThan(10);
    expect(adds).toBeGreaterThan(10);
    // and the module validates on this engine
    expect(WebAssembly.validate(bytes)).toBe(true);
  });

  it('has a relaxed-SIMD twin that uses f32x4.relaxed_madd', () => {
    const relaxed = codeSection(new Uint8Array(readFileSync(new URL('../build/neurone-relaxed.wasm', import.meta.url))));
    let madds = 0;
    for (let k = 0; k + 2 < relaxed.length; k++) if (relaxed[k] === 0xfd && relaxed[k + 1] === 0x85 && relaxed[k + 2] === 0x02) madds++;
    expect(madds).toBeGreaterThan(10);
  });
});
