/**
 * Host ↔ device copies. Every WebGPU element is 4 bytes: float32, int32 and uint32 go as they are,
 * bool (a Uint8Array of 0/1 on the host) as u32; float64 has no WGSL type and is refused with an
 * UnsupportedDTypeError rather than downcast.
 */
import { allocate, type DType, type TypedArray } from "../../src/core/dtype.js";
import { wgslType } from "./codegen/kernel.js";

/** Bytes an array of `size` elements of `dtype` takes on the device (never 0: empty buffers cannot be bound). */
export function deviceBytes(size: number): number {
  return Math.max(4, size * 4);
}

/** `data` as the bytes the device holds for it. */
export function toDeviceBytes(data: TypedArray, dtype: DType, what: string): Uint8Array<ArrayBuffer> {
  wgslType(dtype, what);
  const words = dtype === "bool" ? Uint32Array.from(data as Uint8Array) : data;
  return new Uint8Array(words.buffer as ArrayBuffer, words.byteOffset, words.byteLength);
}

/** The host typed array for `size` elements of `dtype` read back from the device. */
export function fromDeviceBytes(bytes: ArrayBuffer, dtype: DType, size: number): TypedArray {
  const t = wgslType(dtype, "a buffer read back from the WebGPU backend");
  const out = allocate(dtype, size);
  if (size === 0) return out;
  // The device's words as their WGSL type; a bool's u32 0/1 narrows to a byte as it is copied.
  const words =
    t === "f32"
      ? new Float32Array(bytes, 0, size)
      : t === "i32"
        ? new Int32Array(bytes, 0, size)
        : new Uint32Array(bytes, 0, size);
  out.set(words);
  return out;
}
