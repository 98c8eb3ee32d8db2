/**
 * A minimal zip writer for the .xlsx container: DEFLATE entries, no zip64 (a workbook stays far
 * below 4 GB). Compression is passed in: Node's zlib where there is one (several times faster
 * than any JavaScript deflate on a 50-site workbook's 100 MB of XML), fflate in the browser.
 */
import { deflateSync } from "fflate";

export interface Compressor {
  /** Raw DEFLATE (RFC 1951), no zlib header. */
  deflateRaw(data: Uint8Array): Uint8Array;
  crc32(data: Uint8Array): number;
}

const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function crc32(data: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Pure JavaScript, for the browser: fast level 1 keeps a large workbook quick to write. */
export const JS_COMPRESSOR: Compressor = { deflateRaw: (data) => deflateSync(data, { level: 1 }), crc32 };

/** A file of the archive, compressed: packed as soon as it is made, so that its text need not be kept. */
export interface ZipEntry {
  readonly name: string;
  readonly crc: number;
  /** Uncompressed bytes. */
  readonly size: number;
  readonly packed: Uint8Array;
}

export function packEntry(name: string, data: Uint8Array, compressor: Compressor): ZipEntry {
  return { name, crc: compressor.crc32(data), size: data.length, packed: compressor.deflateRaw(data) };
}

export function zip(entries: readonly ZipEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const { name, crc, size, packed } of entries) {
    const nameBytes = encoder.encode(name);
    // The local header and the central directory entry share these fields, 2 bytes apart.
    const fields = (view: DataView, at: number) => {
      view.setUint16(at, 20, true);
      view.setUint16(at + 4, 8, true);
      view.setUint32(at + 10, crc, true);
      view.setUint32(at + 14, packed.length, true);
      view.setUint32(at + 18, size, true);
      view.setUint16(at + 22, nameBytes.length, true);
    };
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    fields(local, 4);
    const entry = new DataView(new ArrayBuffer(46));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint16(4, 20, true);
    fields(entry, 6);
    entry.setUint32(42, offset, true);
    chunks.push(new Uint8Array(local.buffer), nameBytes, packed);
    central.push(new Uint8Array(entry.buffer), nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directorySize = central.reduce((n, c) => n + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, directorySize, true);
  end.setUint32(16, offset, true);
  const parts = [...chunks, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
