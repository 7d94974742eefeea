/**
 * Single arrays as NumPy .npy files (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * the magic "\x93NUMPY", a version, a header length, a Python dict literal with `descr`,
 * `fortran_order` and `shape`, padded with spaces and "\n" so the data starts at a multiple of 64,
 * then the elements.
 */
import type { Array } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import { itemSize } from "../core/dtype.js";
import { checkOptions } from "../core/options.js";
import { sizeOf } from "../core/shape.js";
import { asBytes, type BytesLike, concatBytes, elementsFromBytes, littleEndianBytes } from "./bytes.js";
import { type HostTensor, makeArray, readArray } from "./tensors.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGN = 64;

const DESCR: Readonly<Record<DType, string>> = {
  float32: "<f4",
  float64: "<f8",
  int32: "<i4",
  uint32: "<u4",
  bool: "|b1",
};
const BY_KIND_SIZE: Readonly<Record<string, DType>> = {
  f4: "float32",
  f8: "float64",
  i4: "int32",
  u4: "uint32",
  b1: "bool",
};
const CONVERT_HINT: Readonly<Record<string, string>> = {
  f2: "float32",
  i8: "int32",
  i2: "int32",
  i1: "int32",
  u8: "uint32",
  u2: "uint32",
  u1: "uint32",
};

/** A decoded .npy: dtype, shape and a way to read the elements. */
export interface NpyContents {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readElements(): Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;
}

/** The .npy bytes of one host tensor (format version 1.0, little-endian, C order). */
export function encodeNpy(t: HostTensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(", ")})`;
  const dict = `{'descr': '${DESCR[t.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = MAGIC.length + 4 + dict.length + 1;
  const total = Math.ceil(unpadded / ALIGN) * ALIGN;
  const headerLength = total - MAGIC.length - 4;
  if (headerLength > 0xffff) throw new Error(`saveNpy: the header of a ${t.shape.length}-d array is too long`);
  const head = new Uint8Array(total).fill(0x20);
  head.set(MAGIC, 0);
  head[6] = 1; // version 1.0
  head[7] = 0;
  new DataView(head.buffer).setUint16(8, headerLength, true);
  for (let i = 0; i < dict.length; i++) head[10 + i] = dict.charCodeAt(i);
  head[total - 1] = 0x0a;
  return concatBytes([head, littleEndianBytes(t.data)]);
}

function parseDescr(op: string, where: string, dict: string): { dtype: DType; bigEndian: boolean } {
  const m = /['"]descr['"]\s*:\s*'([^']*)'/.exec(dict);
  if (!m)
    throw new Error(
      `${op}: ${where} has a structured or unreadable dtype (header ${dict}); graft loads plain float32, float64, int32, uint32 and bool arrays`,
    );
  const descr = m[1]!;
  const parts = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const kindSize = parts ? `${parts[2]}${parts[3]}` : descr;
  const dtype = BY_KIND_SIZE[kindSize];
  if (dtype === undefined || !parts) {
    const to = CONVERT_HINT[kindSize];
    throw new Error(
      `${op}: ${where} has dtype '${descr}', which graft does not have (it loads <f4, <f8, <i4, <u4, |b1)` +
        (to ? `; convert it before saving: x.astype(np.${to})` : ""),
    );
  }
  return { dtype, bigEndian: parts[1] === ">" };
}

function parseShape(op: string, where: string, dict: string): number[] {
  const m = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(dict);
  if (!m) throw new Error(`${op}: ${where} has no shape in its header (${dict}); the file is corrupt`);
  const dims = m[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return dims.map((d) => {
    if (!/^[0-9]+L?$/.test(d)) throw new Error(`${op}: ${where} has a bad shape (${m[0]}); the file is corrupt`);
    return Number.parseInt(d, 10);
  });
}

/**
 * Reads a .npy file's header and checks that its data is all there. `where` names the file in
 * errors ("the file", or "entry 'w.npy'" inside an .npz).
 */
export function decodeNpy(op: string, bytes: Uint8Array, where = "the file"): NpyContents {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new Error(`${op}: ${where} is not a .npy file (it does not start with "\\x93NUMPY")`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major !== 1 && major !== 2 && major !== 3)
    throw new Error(`${op}: ${where} has .npy format version ${major}.${bytes[7]}; graft reads versions 1.0 to 3.0`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new Error(`${op}: ${where} is truncated inside its header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length)
    throw new Error(
      `${op}: ${where} declares a ${headerLength}-byte header but has ${bytes.length - 8 - lengthBytes} bytes after the length; it is truncated`,
    );
  const raw = bytes.subarray(8 + lengthBytes, dataStart);
  const dict = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(raw).trim();
  if (!dict.startsWith("{") || !dict.endsWith("}"))
    throw new Error(`${op}: ${where} has a header that is not a dict (${dict.slice(0, 80)}); the file is corrupt`);
  const { dtype, bigEndian } = parseDescr(op, where, dict);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(dict);
  if (!fortran) throw new Error(`${op}: ${where} has no fortran_order in its header (${dict}); the file is corrupt`);
  const shape = parseShape(op, where, dict);
  if (fortran[1] === "True" && shape.filter((d) => d !== 1).length > 1)
    throw new Error(
      `${op}: ${where} holds a Fortran-order (column-major) array; graft reads C order: save np.ascontiguousarray(x) instead`,
    );
  const need = sizeOf(shape) * itemSize(dtype);
  if (bytes.length - dataStart < need)
    throw new Error(
      `${op}: ${where} holds ${dtype}[${shape.join(",")}], which needs ${need} bytes of data, but has ${bytes.length - dataStart}; it is truncated`,
    );
  const data = bytes.subarray(dataStart, dataStart + need);
  return { dtype, shape, readElements: () => elementsFromBytes(op, data, dtype, shape, bigEndian) };
}

/**
 * Saves one array (from any backend) as the bytes of a .npy file (version 1.0, C order), as
 * `np.save` writes it: `np.load` reads it back.
 *
 * @example
 * fs.writeFileSync("w.npy", await saveNpy(w)); // Python: np.load("w.npy")
 */
export async function saveNpy(x: Array): Promise<Uint8Array> {
  return encodeNpy(await readArray("saveNpy", x));
}

/** Options of {@link loadNpy}. */
export interface LoadNpyOptions {
  /** The backend the array is created on (default: the default backend). */
  readonly backend?: string;
}

/**
 * Loads the bytes of a .npy file (float32, float64, int32, uint32 or bool; either byte order; C
 * order) as an array on the default backend (or `backend`).
 *
 * @example
 * const x = loadNpy(fs.readFileSync("x.npy")); // written by np.save("x.npy", a.astype(np.float32))
 */
export function loadNpy(bytes: BytesLike, options: LoadNpyOptions = {}): Array {
  const op = "loadNpy";
  checkOptions(op, options, ["backend"]);
  const npy = decodeNpy(op, asBytes(op, bytes));
  return makeArray(op, npy.readElements(), npy.shape, npy.dtype, options.backend);
}
