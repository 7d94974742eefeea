/** Pytrees of arrays as safetensors files (readable by PyTorch, JAX/Flax, NumPy and Hugging Face tools). */
import type { DType } from "../core/dtype.js";
import { checkOptions } from "../core/options.js";
import { asBytes, type BytesLike, concatBytes, elementsFromBytes, littleEndianBytes } from "./bytes.js";
import { parseSafetensorsHeader } from "./safetensors-header.js";
import { type ArrayTree, assembleTree, type FileTensor, type LoadOptions, readTree } from "./tensors.js";

const FORMAT_DTYPE: Readonly<Record<DType, string>> = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  uint32: "U32",
  bool: "BOOL",
};
const GRAFT_DTYPE: Readonly<Record<string, DType>> = {
  F32: "float32",
  F64: "float64",
  I32: "int32",
  U32: "uint32",
  BOOL: "bool",
};
/** Position of each dtype in the reference implementation's dtype enum (its files sort by it). */
const WRITE_RANK: Readonly<Record<DType, number>> = { bool: 0, int32: 1, uint32: 2, float32: 3, float64: 4 };
/** What to do in the writing framework, for the dtypes graft has no counterpart of. */
const CONVERT_HINT: Readonly<Record<string, string>> = {
  F16: "float32",
  BF16: "float32",
  I64: "int32",
  U64: "uint32",
  I16: "int32",
  U16: "uint32",
  I8: "int32",
  U8: "uint32",
};

/** Options of {@link saveSafetensors}. */
export interface SaveSafetensorsOptions {
  /** Free-form string pairs stored in the header's `__metadata__` (e.g. `{ format: "pt" }`). */
  readonly metadata?: Readonly<Record<string, string>>;
}

function checkMetadata(op: string, metadata: unknown): Readonly<Record<string, string>> | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
    throw new TypeError(
      `${op}: metadata must be an object of strings, got ${metadata === null ? "null" : typeof metadata}`,
    );
  for (const [k, v] of Object.entries(metadata))
    if (typeof v !== "string")
      throw new TypeError(`${op}: metadata '${k}' is a ${typeof v}; the format stores strings only (use String(v))`);
  return metadata as Record<string, string>;
}

/**
 * Saves a pytree of arrays (from any backend) as the bytes of a safetensors file. Tensor names are
 * the leaves' paths joined with "." (`{ layers: [{ w }] }` → "layers.0.w"); dtypes are written as
 * F32, F64, I32, U32 and BOOL, little-endian, in C order.
 *
 * @example
 * const bytes = await saveSafetensors({ dense: { w, b } }, { metadata: { epoch: "3" } });
 * fs.writeFileSync("model.safetensors", bytes);            // Node
 * const blob = new Blob([bytes]);                          // browsers: download or store it
 */
export async function saveSafetensors(tree: unknown, options: SaveSafetensorsOptions = {}): Promise<Uint8Array> {
  const op = "saveSafetensors";
  checkOptions(op, options, ["metadata"]);
  const metadata = checkMetadata(op, options.metadata);
  const tensors = await readTree(op, tree);
  // The reference writer's order (its dtype enum descending, then by name): wider dtypes come
  // first, so every tensor starts at a multiple of its element size (the header is padded to 8
  // bytes) and readers can map it in place; matching it also makes the files byte-identical.
  const order = [...tensors].sort(
    (a, b) => WRITE_RANK[b.dtype] - WRITE_RANK[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  let offset = 0;
  for (const t of order) {
    const end = offset + t.data.byteLength;
    const entry = { dtype: FORMAT_DTYPE[t.dtype], shape: t.shape, data_offsets: [offset, end] };
    parts.push(`${JSON.stringify(t.name)}:${JSON.stringify(entry)}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const header = new Uint8Array(8 + padded).fill(0x20);
  new DataView(header.buffer).setUint32(0, padded, true); // the u64's high word stays 0 (headers < 4 GiB)
  header.fill(0, 4, 8);
  header.set(json, 8);
  return concatBytes([header, ...order.map((t) => littleEndianBytes(t.data))]);
}

/**
 * Loads the bytes of a safetensors file as a pytree of arrays on the default backend (or
 * `backend`). Without `like`, the tree is rebuilt from the tensor names ("layers.0.w" →
 * `{ layers: [{ w }] }`: levels named 0…n-1 become JS arrays); with `like`, the result has
 * `like`'s structure and every tensor's shape and dtype is checked against it.
 *
 * @example
 * const params = loadSafetensors(fs.readFileSync("model.safetensors"), { like: initParams });
 * const tree = loadSafetensors(new Uint8Array(await file.arrayBuffer())); // a browser File
 */
export function loadSafetensors<T>(bytes: BytesLike, options: LoadOptions<T> & { readonly like: T }): T;
export function loadSafetensors(bytes: BytesLike, options?: LoadOptions): ArrayTree;
export function loadSafetensors(bytes: BytesLike, options: LoadOptions<unknown> = {}): unknown {
  const op = "loadSafetensors";
  checkOptions(op, options, ["like", "backend"]);
  const data = asBytes(op, bytes);
  const header = parseSafetensorsHeader(op, data);
  const tensors = header.entries.map((e): FileTensor => {
    const dtype = GRAFT_DTYPE[e.dtype];
    if (dtype === undefined) {
      const to = CONVERT_HINT[e.dtype];
      throw new Error(
        `${op}: tensor '${e.name}' has dtype ${e.dtype}, which graft does not have (it loads F32, F64, I32, U32, BOOL)` +
          (to ? `; convert it before saving, e.g. tensor.to(torch.${to}) or x.astype(np.${to})` : ""),
      );
    }
    const [begin, end] = e.offsets;
    const slice = data.subarray(header.dataStart + begin, header.dataStart + end);
    return { name: e.name, dtype, shape: e.shape, readElements: () => elementsFromBytes(op, slice, dtype, e.shape) };
  });
  return assembleTree(op, tensors, options);
}

/** What a safetensors file holds, without loading it: see {@link inspectSafetensors}. */
export interface SafetensorsInfo {
  /** Every tensor's dtype (the format's name: "F32", "BF16", …) and shape, by tensor name. */
  readonly tensors: Readonly<Record<string, { readonly dtype: string; readonly shape: readonly number[] }>>;
  /** The header's `__metadata__` (empty when absent). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * The tensor names, dtypes, shapes and metadata of a safetensors file, read from its header only
 * (it also lists dtypes graft cannot load, such as BF16).
 *
 * @example
 * const { tensors, metadata } = inspectSafetensors(bytes);
 * // tensors["dense.w"] → { dtype: "F32", shape: [784, 128] }
 */
export function inspectSafetensors(bytes: BytesLike): SafetensorsInfo {
  const op = "inspectSafetensors";
  const header = parseSafetensorsHeader(op, asBytes(op, bytes));
  const tensors: Record<string, { dtype: string; shape: readonly number[] }> = {};
  for (const e of header.entries)
    Object.defineProperty(tensors, e.name, {
      value: { dtype: e.dtype, shape: e.shape },
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return { tensors, metadata: header.metadata };
}
