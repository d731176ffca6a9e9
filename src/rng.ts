// One seeded generator for everything random (initial weights, shuffles, toy
// data, rrelu slopes): xoshiro128**, word for word the same as assembly/rng.ts.
// Seeds are expanded to four state words by splitmix32, so nearby seeds give
// unrelated streams. Only integer arithmetic and exact f32/f64 scaling are
// used, so a seed gives bit-identical numbers on every engine.

/** A small seeded pseudo-random generator (xoshiro128**). */
export class Rng {
  /** The four 32-bit state words; copy them to hand the stream to wasm. */
  readonly state = new Uint32Array(4);

  /** @param seed any integer; the same seed always gives the same stream. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    let s = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    for (let k = 0; k < 4; k++) {
      // splitmix32
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.state[k] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.state[0] | this.state[1] | this.state[2] | this.state[3]) === 0) this.state[0] = 1;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextU32(): number {
    return nextU32At(this.state, 0);
  }

  /** Uniform in [0, 1) with 24 random bits (exact in f32). */
  uniform(): number {
    return (this.nextU32() >>> 8) / 16777216;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** An integer uniform in [0, n), without modulo bias. */
  int(n: number): number {
    if (n <= 0) return 0;
    const limit = Math.floor(4294967296 / n) * n;
    let r = this.nextU32();
    while (r >= limit) r = this.nextU32();
    return r % n;
  }

  /** A standard normal draw (Box-Muller; uses Math.log/cos, so it may differ
   *  in the last bit between engines: used for toy data only, never weights). */
  normal(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** Shuffles `a` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [k: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i]; a[i] = a[j]; a[j] = tmp;
    }
    return a;
  }
}

/** One xoshiro128** step on the state words u[s..s+3] (any Uint32Array, e.g.
 *  a view on backend memory); returns 32 random bits. */
export function nextU32At(u: Uint32Array, s: number): number {
  const result = Math.imul(rotl(Math.imul(u[s + 1], 5) >>> 0, 7), 9) >>> 0;
  const t = (u[s + 1] << 9) >>> 0;
  u[s + 2] ^= u[s]; u[s + 3] ^= u[s + 1]; u[s + 1] ^= u[s + 2]; u[s] ^= u[s + 3]; u[s + 2] ^= t;
  u[s + 3] = rotl(u[s + 3], 11);
  return result;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
