/**
 * Parsing and validation of a safetensors header (https://github.com/huggingface/safetensors):
 * 8 bytes of little-endian u64 header length N, N bytes of UTF-8 JSON (optionally padded with
 * spaces), then the byte buffer that the tensors' `data_offsets` index without holes or overlaps.
 */

/** Bytes per element of every dtype the format defines (graft loads F32, F64, I32, U32 and BOOL). */
const ITEM_SIZES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** The reference implementation refuses longer headers; so does graft (a guard against corrupt lengths). */
const MAX_HEADER_BYTES = 100_000_000;

/** One tensor as the header describes it. */
export interface SafetensorsEntry {
  readonly name: string;
  /** The format's dtype name: "F32", "BF16", … */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Start and end of the tensor's bytes, relative to the byte buffer after the header. */
  readonly offsets: readonly [number, number];
}

/** A parsed header: the tensors in file order, the metadata, and where the byte buffer starts. */
export interface SafetensorsHeader {
  readonly entries: readonly SafetensorsEntry[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly dataStart: number;
}

const isIndex = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

function parseJson(op: string, bytes: Uint8Array, length: number): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + length));
  } catch {
    throw new Error(`${op}: the header is not valid UTF-8; the file is corrupt or not a safetensors file`);
  }
  if (!text.startsWith("{"))
    throw new Error(`${op}: the header does not start with '{'; the file is corrupt or not a safetensors file`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${op}: the header is not valid JSON (${(e as Error).message}); the file is corrupt`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new Error(`${op}: the header must be a JSON object; the file is corrupt or not a safetensors file`);
  return json as Record<string, unknown>;
}

function parseMetadata(op: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${op}: the header's __metadata__ must be an object of strings`);
  for (const [k, v] of Object.entries(value))
    if (typeof v !== "string") throw new Error(`${op}: the header's __metadata__ entry '${k}' is not a string`);
  return { ...(value as Record<string, string>) };
}

function parseEntry(op: string, name: string, value: unknown): SafetensorsEntry {
  const bad = (what: string): Error => new Error(`${op}: tensor '${name}' in the header: ${what}; the file is corrupt`);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad("its entry is not an object");
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== "string") throw bad("dtype is missing or not a string");
  const itemSize = ITEM_SIZES[dtype];
  if (itemSize === undefined)
    throw bad(`unknown dtype ${JSON.stringify(dtype)} (the format defines ${Object.keys(ITEM_SIZES).join(", ")})`);
  if (!Array.isArray(shape) || !shape.every(isIndex)) throw bad("shape is not a list of non-negative integers");
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex))
    throw bad("data_offsets is not a pair [begin, end] of non-negative integers");
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw bad(`data_offsets [${begin}, ${end}] end before they begin`);
  let size = itemSize;
  for (const d of shape) size *= d;
  if (end - begin !== size)
    throw bad(
      `data_offsets [${begin}, ${end}] span ${end - begin} bytes, but ${dtype}[${shape.join(",")}] needs ${size}`,
    );
  return { name, dtype, shape: shape as number[], offsets: [begin, end] };
}

/** The byte buffer must be covered exactly (the format forbids holes, which could hide other content). */
function checkCoverage(op: string, entries: readonly SafetensorsEntry[], dataBytes: number): void {
  for (const e of entries)
    if (e.offsets[1] > dataBytes)
      throw new Error(
        `${op}: tensor '${e.name}' has data_offsets [${e.offsets.join(", ")}] beyond the ${dataBytes} bytes of data ` +
          "after the header; the file is truncated or corrupt",
      );
  const sorted = [...entries].sort((a, b) => a.offsets[0] - b.offsets[0] || a.offsets[1] - b.offsets[1]);
  let at = 0;
  for (const e of sorted) {
    if (e.offsets[0] !== at)
      throw new Error(
        `${op}: tensor '${e.name}' starts at byte ${e.offsets[0]} of the data, but the tensors before it end at ` +
          `byte ${at}; the data must be covered without holes or overlaps, so the file is corrupt`,
      );
    at = e.offsets[1];
  }
  if (at !== dataBytes)
    throw new Error(
      `${op}: the tensors cover ${at} bytes of data, but the file has ${dataBytes} after the header; the file is corrupt`,
    );
}

/** Reads and checks the header of a safetensors file (the data itself is not touched). */
export function parseSafetensorsHeader(op: string, bytes: Uint8Array): SafetensorsHeader {
  if (bytes.length < 8)
    throw new Error(
      `${op}: the file has ${bytes.length} bytes, but a safetensors file starts with an 8-byte header length; ` +
        "it is truncated or not a safetensors file",
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const length = high * 2 ** 32 + low;
  if (length > MAX_HEADER_BYTES || length > bytes.length - 8)
    throw new Error(
      `${op}: the header length is ${length} bytes, but the file has ${bytes.length - 8} bytes after it` +
        `${length > MAX_HEADER_BYTES ? ` (and headers are limited to ${MAX_HEADER_BYTES})` : ""}; ` +
        "the file is truncated or not a safetensors file",
    );
  if (length < 2) throw new Error(`${op}: the header length is ${length}; the file is corrupt or not safetensors`);
  const json = parseJson(op, bytes, length);
  const metadata = parseMetadata(op, json.__metadata__);
  const entries = Object.keys(json)
    .filter((name) => name !== "__metadata__")
    .map((name) => parseEntry(op, name, json[name]));
  checkCoverage(op, entries, bytes.length - 8 - length);
  return { entries, metadata, dataStart: 8 + length };
}
