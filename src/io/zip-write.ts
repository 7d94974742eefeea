/**
 * Writing zip archives with STORED (uncompressed) entries, the container of .npz files
 * (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT, sections 4.3.7, 4.3.12, 4.3.16).
 * Entries already hold binary tensors, which compress poorly; storing them keeps saving simple,
 * synchronous and the same in every JS runtime.
 */
import { concatBytes } from "./bytes.js";
import { crc32 } from "./crc32.js";

/** A named file inside an archive. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
}

const LIMIT_32 = 0xffffffff;
const VERSION = 20; // 2.0: the version that introduced STORED and DEFLATE entries
const UTF8_NAMES = 0x0800; // general-purpose flag bit 11: names are UTF-8
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01, the zip epoch: archives are byte-for-byte reproducible

/** The bytes of a zip archive holding `entries` uncompressed, in order. */
export function writeZip(op: string, entries: readonly ZipEntry[]): Uint8Array {
  if (entries.length > 0xffff)
    throw new Error(
      `${op}: ${entries.length} arrays are more than a zip without zip64 holds (65535); use saveSafetensors`,
    );
  const encoder = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = encoder.encode(e.name);
    const flags = /^[\x20-\x7e]*$/.test(e.name) ? 0 : UTF8_NAMES;
    const crc = crc32(e.data);
    if (e.data.length >= LIMIT_32 || offset >= LIMIT_32)
      throw new Error(`${op}: the archive would pass 4 GiB, more than a zip without zip64 holds; use saveSafetensors`);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, VERSION, true);
    l.setUint16(6, flags, true);
    l.setUint16(8, 0, true); // STORED
    l.setUint16(10, 0, true); // time 00:00:00
    l.setUint16(12, DOS_DATE, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, e.data.length, true);
    l.setUint32(22, e.data.length, true);
    l.setUint16(26, name.length, true);
    l.setUint16(28, 0, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, VERSION, true);
    c.setUint16(6, VERSION, true);
    c.setUint16(8, flags, true);
    c.setUint16(10, 0, true);
    c.setUint16(12, 0, true);
    c.setUint16(14, DOS_DATE, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, e.data.length, true);
    c.setUint32(24, e.data.length, true);
    c.setUint16(28, name.length, true);
    // extra length, comment length, disk number, internal and external attributes stay 0
    c.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, e.data);
    centrals.push(central);
    offset += local.length + e.data.length;
  }
  const directory = concatBytes(centrals);
  if (offset + directory.length >= LIMIT_32)
    throw new Error(`${op}: the archive would pass 4 GiB, more than a zip without zip64 holds; use saveSafetensors`);
  const end = new Uint8Array(22);
  const d = new DataView(end.buffer);
  d.setUint32(0, 0x06054b50, true);
  d.setUint16(8, entries.length, true);
  d.setUint16(10, entries.length, true);
  d.setUint32(12, directory.length, true);
  d.setUint32(16, offset, true);
  return concatBytes([...locals, directory, end]);
}
