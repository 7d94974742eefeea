/** Byte-level helpers shared by the file formats: input checks and little-endian element copies. */
import { allocate, type DType, itemSize, type TypedArray } from "../core/dtype.js";
import { sizeOf } from "../core/shape.js";

/** Bytes given to a loader: a Uint8Array (Node's Buffer is one) or an ArrayBuffer. */
export type BytesLike = Uint8Array | ArrayBuffer;

/** `bytes` as a Uint8Array view (no copy), or a TypeError naming `op` and what it got. */
export function asBytes(op: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  const got =
    bytes === null
      ? "null"
      : ArrayBuffer.isView(bytes)
        ? `a ${bytes.constructor.name}`
        : bytes instanceof Blob
          ? "a Blob"
          : typeof bytes;
  const blobHint = bytes instanceof Blob ? " (read a Blob or File with new Uint8Array(await blob.arrayBuffer()))" : "";
  throw new TypeError(`${op}: expected the file's bytes as a Uint8Array or ArrayBuffer, got ${got}${blobHint}`);
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapInPlace(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i < bytes.length; i += width)
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
}

/**
 * A new typed array of `dtype` and `shape` holding the elements stored in `bytes` (little-endian,
 * or big-endian when `bigEndian`). Bools are stored as 0/1, whatever nonzero byte the file used.
 * The caller has checked that `bytes.length` is exactly the shape's byte size.
 */
export function elementsFromBytes(
  op: string,
  bytes: Uint8Array,
  dtype: DType,
  shape: readonly number[],
  bigEndian = false,
): TypedArray {
  const out = allocate(dtype, sizeOf(shape), op, shape);
  const raw = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  raw.set(bytes);
  if (bigEndian === LITTLE_ENDIAN_HOST) swapInPlace(raw, itemSize(dtype));
  if (dtype === "bool") for (let i = 0; i < raw.length; i++) raw[i] = raw[i] === 0 ? 0 : 1;
  return out;
}

/** The little-endian bytes of `data` (a view when the host is little-endian, else a swapped copy). */
export function littleEndianBytes(data: TypedArray): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN_HOST) return view;
  const copy = view.slice();
  swapInPlace(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

/** Concatenates byte chunks into one new Uint8Array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** `shape` as `dtype[d0,d1]`, graft's usual way to print an abstract value. */
export const describeTensor = (dtype: string, shape: readonly number[]): string => `${dtype}[${shape.join(",")}]`;

/** Up to `max` names, quoted and comma-separated, with a count of the rest. */
export function listNames(names: readonly string[], max = 8): string {
  if (names.length === 0) return "none";
  const shown = names.slice(0, max).map((n) => `'${n}'`);
  return names.length > max ? `${shown.join(", ")} and ${names.length - max} more` : shown.join(", ");
}
