/**
 * Reading zip archives (.npz files) from their central directory, zip64 records included (numpy
 * writes zip64 local headers), with STORED and DEFLATE entries and CRC-32 checks. DEFLATE is
 * decoded by the platform's `DecompressionStream("deflate-raw")` (browsers, Node >= 20.12), so
 * graft needs no compression library and no Node-only module.
 */
import { crc32 } from "./crc32.js";

/** An entry listed in the central directory, its bytes still as stored. */
export interface ZipMember {
  readonly name: string;
  /** 0: stored; 8: deflate. */
  readonly method: number;
  readonly stored: Uint8Array;
  readonly size: number;
  readonly crc: number;
}

const MAX_COMMENT = 0xffff;
const u64 = (v: DataView, at: number): number => v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;

function findEndRecord(op: string, view: DataView): number {
  for (let at = view.byteLength - 22; at >= 0 && at >= view.byteLength - 22 - MAX_COMMENT; at--)
    if (view.getUint32(at, true) === 0x06054b50) return at;
  throw new Error(`${op}: no zip end-of-central-directory record; the file is truncated or not an .npz (zip) archive`);
}

/** Entry count and central-directory position, from the zip64 end record when the classic one overflows. */
function directoryBounds(op: string, view: DataView, end: number): { count: number; start: number; size: number } {
  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let start = view.getUint32(end + 16, true);
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50)
      throw new Error(`${op}: the zip end record overflows but there is no zip64 locator; the archive is corrupt`);
    const record = u64(view, locator + 8);
    if (record + 56 > view.byteLength || view.getUint32(record, true) !== 0x06064b50)
      throw new Error(`${op}: the zip64 end record is missing or out of range; the archive is corrupt`);
    count = u64(view, record + 32);
    size = u64(view, record + 40);
    start = u64(view, record + 48);
  }
  if (start + size > end)
    throw new Error(`${op}: the zip central directory lies outside the file; the archive is truncated or corrupt`);
  return { count, start, size };
}

/** Sizes and offset from a zip64 extra field, for those the fixed fields mark as 0xffffffff. */
function applyZip64(
  view: DataView,
  extra: number,
  extraEnd: number,
  fixed: { size: number; compressed: number; offset: number },
): void {
  for (let at = extra; at + 4 <= extraEnd; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let p = at + 4;
      if (fixed.size === 0xffffffff) (fixed.size = u64(view, p)), (p += 8);
      if (fixed.compressed === 0xffffffff) (fixed.compressed = u64(view, p)), (p += 8);
      if (fixed.offset === 0xffffffff) fixed.offset = u64(view, p);
      return;
    }
    at += 4 + length;
  }
}

/** The entries of a zip archive, in central-directory order. */
export function listZip(op: string, bytes: Uint8Array): ZipMember[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22 || view.getUint32(0, true) !== 0x04034b50) {
    const empty = bytes.length >= 22 && view.getUint32(0, true) === 0x06054b50;
    if (!empty) throw new Error(`${op}: the file is not an .npz (zip) archive: it does not start with "PK\\x03\\x04"`);
  }
  const { count, start, size } = directoryBounds(op, view, findEndRecord(op, view));
  const decoder = new TextDecoder();
  const members: ZipMember[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 46 > start + size || view.getUint32(at, true) !== 0x02014b50)
      throw new Error(`${op}: zip central directory entry ${i} is damaged; the archive is corrupt`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const fixed = {
      compressed: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
    };
    applyZip64(view, at + 46 + nameLength, at + 46 + nameLength + extraLength, fixed);
    if (flags & 1) throw new Error(`${op}: zip entry '${name}' is encrypted; graft reads unencrypted archives only`);
    if (method !== 0 && method !== 8)
      throw new Error(
        `${op}: zip entry '${name}' uses compression method ${method}; graft reads stored and deflate entries (what np.savez and np.savez_compressed write)`,
      );
    const local = fixed.offset;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50)
      throw new Error(
        `${op}: zip entry '${name}' points outside the file or at a damaged header; the archive is corrupt`,
      );
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + fixed.compressed > bytes.length)
      throw new Error(`${op}: zip entry '${name}' runs past the end of the file; the archive is truncated`);
    members.push({
      name,
      method,
      stored: bytes.subarray(dataStart, dataStart + fixed.compressed),
      size: fixed.size,
      crc,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}

async function inflateRaw(op: string, name: string, data: Uint8Array): Promise<Uint8Array> {
  let stream: DecompressionStream;
  try {
    stream = new DecompressionStream("deflate-raw");
  } catch {
    throw new Error(
      `${op}: zip entry '${name}' is compressed (np.savez_compressed), and this JavaScript runtime has no ` +
        'DecompressionStream("deflate-raw") (Node >= 20.12, Chrome 80, Firefox 113, Safari 16.4 have it); ' +
        "save with np.savez instead",
    );
  }
  try {
    const out = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
    return new Uint8Array(await new Response(out).arrayBuffer());
  } catch (e) {
    throw new Error(`${op}: zip entry '${name}' has corrupt compressed data (${(e as Error).message})`);
  }
}

/** The uncompressed bytes of an entry, checked against its size and CRC-32. */
export async function extract(op: string, member: ZipMember): Promise<Uint8Array> {
  const data = member.method === 8 ? await inflateRaw(op, member.name, member.stored) : member.stored;
  if (data.length !== member.size)
    throw new Error(
      `${op}: zip entry '${member.name}' has ${data.length} bytes, but the archive records ${member.size}; it is corrupt`,
    );
  if (crc32(data) !== member.crc)
    throw new Error(`${op}: zip entry '${member.name}' fails its CRC-32 check; the archive is corrupt`);
  return data;
}
