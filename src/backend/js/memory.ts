// Linear memory for the plain TypeScript backend: one ArrayBuffer addressed by
// byte offsets exactly like wasm memory, so plans and arenas have the same
// layout in both backends. Growth copies into a larger buffer (views on the
// old one go stale, as in wasm); blocks are 16-byte aligned; freed blocks are
// kept in a first-fit list and the top of the heap shrinks back when it can.

const ALIGN = 16;
const BASE = 16; // offset 0 stays unused so that 0 can mean "no pointer"
const JS_MEMORY_LIMIT = 2 ** 31;

export class JsMemory {
  buffer: ArrayBuffer;
  f32!: Float32Array; i32!: Int32Array; u32!: Uint32Array; f64!: Float64Array;
  private top = BASE;
  private readonly sizes = new Map<number, number>(); // live block -> bytes
  private freeList: { ptr: number; bytes: number }[] = [];

  constructor(initialBytes = 1 << 16) {
    this.buffer = new ArrayBuffer(initialBytes);
    this.views();
  }

  // The one place views are re-created after growth.
  private views(): void {
    this.f32 = new Float32Array(this.buffer); this.i32 = new Int32Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer); this.f64 = new Float64Array(this.buffer);
  }

  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const k = this.freeList.findIndex((b) => b.bytes >= size);
    let ptr: number;
    if (k >= 0) {
      const blk = this.freeList[k];
      ptr = blk.ptr;
      if (blk.bytes > size) { blk.ptr += size; blk.bytes -= size; } else this.freeList.splice(k, 1);
    } else {
      ptr = this.top;
      if (ptr + size > this.buffer.byteLength) this.grow(ptr + size); // throws before anything moves
      this.top = ptr + size;
    }
    new Uint8Array(this.buffer, ptr, size).fill(0);
    this.sizes.set(ptr, size);
    return ptr;
  }

  free(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) return;
    this.sizes.delete(ptr);
    if (ptr + size === this.top) this.top = ptr;
    else this.freeList.push({ ptr, bytes: size });
    // give back free blocks that now touch the top
    let again = true;
    while (again) {
      again = false;
      for (let k = 0; k < this.freeList.length; k++) {
        const b = this.freeList[k];
        if (b.ptr + b.bytes === this.top) { this.top = b.ptr; this.freeList.splice(k, 1); again = true; break; }
      }
    }
  }

  private grow(need: number): void {
    // Offsets are used with signed shifts (ptr >> 2) in this backend: they
    // must stay below 2^31, so its memory is at most 2 GiB (wasm's is 4 GiB).
    if (need > JS_MEMORY_LIMIT) {
      throw new RangeError(`neurone(js): this needs ${(need / 2 ** 30).toFixed(2)} GiB of memory; the js backend holds at most 2 GiB ` +
        `(the wasm backend up to 4 GiB)`);
    }
    let n = this.buffer.byteLength;
    while (n < need) n *= 2;
    n = Math.min(n, JS_MEMORY_LIMIT);
    const next = new ArrayBuffer(n);
    new Uint8Array(next).set(new Uint8Array(this.buffer));
    this.buffer = next;
    this.views();
  }
}
