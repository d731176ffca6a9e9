// xoshiro128** on a 4-word state kept in linear memory (so each model or plan
// owns its stream). Identical, word for word, to src/rng.ts: the same seed
// gives the same numbers in both backends, in Node and in browsers.
//   state (4) u32, read and advanced

// @ts-ignore: decorator
@inline function rotl(x: u32, k: u32): u32 { return (x << k) | (x >>> (32 - k)); }

export function nextU32(state: usize): u32 {
  let s0 = load<u32>(state), s1 = load<u32>(state, 4);
  let s2 = load<u32>(state, 8), s3 = load<u32>(state, 12);
  const result = rotl(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
  store<u32>(state, s0); store<u32>(state, s1, 4);
  store<u32>(state, s2, 8); store<u32>(state, s3, 12);
  return result;
}

// Uniform in [0, 1) with 24 random bits: exact in f32, the same everywhere.
export function nextUniform(state: usize): f32 {
  return <f32>(nextU32(state) >>> 8) * (1.0 / 16777216.0);
}
