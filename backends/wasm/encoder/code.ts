/**
 * An instruction stream for one function body, with the immediates of each opcode encoded the way
 * the binary format wants them (LEB128 integers, little-endian floats, memory arguments).
 */
import { ATOMIC, MISC, OP, SIMD, VOID, type ValType } from "./opcodes.js";

/** Appends `v` as unsigned LEB128. */
export function uleb(out: number[], v: number): void {
  let x = v >>> 0;
  if (v > 0xffffffff || v < 0) throw new RangeError(`uleb: ${v} is not a u32`);
  do {
    let byte = x & 0x7f;
    x >>>= 7;
    if (x !== 0) byte |= 0x80;
    out.push(byte);
  } while (x !== 0);
}

/** Appends `v` (a 32-bit signed integer) as signed LEB128. */
export function sleb(out: number[], v: number): void {
  let x = v | 0;
  for (;;) {
    const byte = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** Appends `v` (a bigint in the signed 64-bit range) as signed LEB128. */
export function sleb64(out: number[], v: bigint): void {
  let x = BigInt.asIntN(64, v);
  for (;;) {
    const byte = Number(x & 0x7fn);
    x >>= 7n;
    if ((x === 0n && (byte & 0x40) === 0) || (x === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

const scratch = new DataView(new ArrayBuffer(8));

/** Natural alignment (log2 of bytes) for the memory opcodes, used when no alignment is given. */
function naturalAlign(op: number, prefix: "core" | "simd" | "atomic"): number {
  if (prefix === "simd") {
    switch (op) {
      case SIMD.v128_load8_lane:
      case SIMD.v128_store8_lane:
        return 0;
      case SIMD.v128_load16_lane:
      case SIMD.v128_store16_lane:
        return 1;
      case SIMD.v128_load32_splat:
      case SIMD.v128_load32_zero:
      case SIMD.v128_load32_lane:
      case SIMD.v128_store32_lane:
        return 2;
      case SIMD.v128_load64_splat:
      case SIMD.v128_load64_zero:
      case SIMD.v128_load64_lane:
      case SIMD.v128_store64_lane:
        return 3;
      default:
        return 4;
    }
  }
  if (prefix === "atomic") return 2;
  switch (op) {
    case OP.i32_load8_s:
    case OP.i32_load8_u:
    case OP.i32_store8:
      return 0;
    case OP.i32_load16_s:
    case OP.i32_load16_u:
    case OP.i32_store16:
      return 1;
    case OP.i64_load:
    case OP.f64_load:
    case OP.i64_store:
    case OP.f64_store:
      return 3;
    default:
      return 2;
  }
}

export class Code {
  readonly bytes: number[] = [];

  /** A core opcode without immediates. */
  op(code: number): this {
    this.bytes.push(code);
    return this;
  }
  /** Several core opcodes without immediates, in order. */
  ops(...codes: number[]): this {
    for (const c of codes) this.bytes.push(c);
    return this;
  }
  i32(v: number): this {
    this.bytes.push(OP.i32_const);
    sleb(this.bytes, v);
    return this;
  }
  i64(v: bigint): this {
    this.bytes.push(OP.i64_const);
    sleb64(this.bytes, v);
    return this;
  }
  f32(v: number): this {
    this.bytes.push(OP.f32_const);
    scratch.setFloat32(0, v, true);
    for (let i = 0; i < 4; i++) this.bytes.push(scratch.getUint8(i));
    return this;
  }
  f64(v: number): this {
    this.bytes.push(OP.f64_const);
    scratch.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.bytes.push(scratch.getUint8(i));
    return this;
  }
  get(local: number): this {
    this.bytes.push(OP.local_get);
    uleb(this.bytes, local);
    return this;
  }
  set(local: number): this {
    this.bytes.push(OP.local_set);
    uleb(this.bytes, local);
    return this;
  }
  tee(local: number): this {
    this.bytes.push(OP.local_tee);
    uleb(this.bytes, local);
    return this;
  }
  globalGet(g: number): this {
    this.bytes.push(OP.global_get);
    uleb(this.bytes, g);
    return this;
  }
  globalSet(g: number): this {
    this.bytes.push(OP.global_set);
    uleb(this.bytes, g);
    return this;
  }
  call(func: number): this {
    this.bytes.push(OP.call);
    uleb(this.bytes, func);
    return this;
  }
  /** A core load/store with a memory argument (`offset` in bytes; `align` log2, natural by default). */
  mem(op: number, offset = 0, align?: number): this {
    this.bytes.push(op);
    uleb(this.bytes, align ?? naturalAlign(op, "core"));
    uleb(this.bytes, offset);
    return this;
  }
  /** A SIMD opcode without immediates. */
  simd(op: number): this {
    this.bytes.push(0xfd);
    uleb(this.bytes, op);
    return this;
  }
  /** A SIMD load/store with a memory argument. */
  simdMem(op: number, offset = 0, align?: number): this {
    this.simd(op);
    uleb(this.bytes, align ?? naturalAlign(op, "simd"));
    uleb(this.bytes, offset);
    return this;
  }
  /** A SIMD lane load/store (`v128.load32_lane` …): memory argument, then the lane index. */
  simdMemLane(op: number, lane: number, offset = 0, align?: number): this {
    this.simdMem(op, offset, align);
    this.bytes.push(lane);
    return this;
  }
  /** A SIMD lane instruction (extract/replace) with its lane index. */
  lane(op: number, lane: number): this {
    this.simd(op);
    this.bytes.push(lane);
    return this;
  }
  /** v128.const from four 32-bit words (as unsigned or signed integers). */
  v128i32(a: number, b = a, c = a, d = a): this {
    this.simd(SIMD.v128_const);
    for (const w of [a, b, c, d]) {
      scratch.setInt32(0, w | 0, true);
      for (let i = 0; i < 4; i++) this.bytes.push(scratch.getUint8(i));
    }
    return this;
  }
  /** v128.const holding four float32 values (one value splats). */
  v128f32(a: number, b = a, c = a, d = a): this {
    this.simd(SIMD.v128_const);
    for (const w of [a, b, c, d]) {
      scratch.setFloat32(0, w, true);
      for (let i = 0; i < 4; i++) this.bytes.push(scratch.getUint8(i));
    }
    return this;
  }
  /** v128.const holding two float64 values (one value splats). */
  v128f64(a: number, b = a): this {
    this.simd(SIMD.v128_const);
    for (const w of [a, b]) {
      scratch.setFloat64(0, w, true);
      for (let i = 0; i < 8; i++) this.bytes.push(scratch.getUint8(i));
    }
    return this;
  }
  /** i8x16.shuffle with 16 lane indices. */
  shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16) throw new RangeError("shuffle: 16 lane indices expected");
    this.simd(SIMD.i8x16_shuffle);
    for (const l of lanes) this.bytes.push(l);
    return this;
  }
  /** A 0xfc-prefixed opcode (saturating truncations, memory.copy/fill). */
  misc(op: number): this {
    this.bytes.push(0xfc);
    uleb(this.bytes, op);
    if (op === MISC.memory_copy) this.bytes.push(0, 0);
    else if (op === MISC.memory_fill) this.bytes.push(0);
    return this;
  }
  /** A 0xfe-prefixed atomic opcode with its memory argument (atomic.fence takes a zero byte). */
  atomic(op: number, offset = 0): this {
    this.bytes.push(0xfe);
    uleb(this.bytes, op);
    if (op === ATOMIC.atomic_fence) this.bytes.push(0);
    else {
      uleb(this.bytes, naturalAlign(op, "atomic"));
      uleb(this.bytes, offset);
    }
    return this;
  }
  block(type: ValType | typeof VOID = VOID): this {
    this.bytes.push(OP.block, type);
    return this;
  }
  loop(type: ValType | typeof VOID = VOID): this {
    this.bytes.push(OP.loop, type);
    return this;
  }
  if(type: ValType | typeof VOID = VOID): this {
    this.bytes.push(OP.if, type);
    return this;
  }
  else(): this {
    this.bytes.push(OP.else);
    return this;
  }
  end(): this {
    this.bytes.push(OP.end);
    return this;
  }
  br(depth: number): this {
    this.bytes.push(OP.br);
    uleb(this.bytes, depth);
    return this;
  }
  brIf(depth: number): this {
    this.bytes.push(OP.br_if);
    uleb(this.bytes, depth);
    return this;
  }
  /** Appends another stream's instructions. */
  append(other: Code): this {
    for (const b of other.bytes) this.bytes.push(b);
    return this;
  }
}
