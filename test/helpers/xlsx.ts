/**
 * Just enough of the .xlsx format for tests: read a zip (stored or deflated entries), write one
 * back, read each sheet's cell values (as cached by the last engine that calculated them), and
 * set a number in a cell. Written here so the tests depend on no spreadsheet library.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";

export type XlsxValue = number | string | boolean | { error: string };

export function readZip(bytes: Uint8Array): Map<string, Buffer> {
  const buffer = Buffer.from(bytes);
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip file: no end of central directory");
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (buffer.readUInt32LE(at) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const method = buffer.readUInt16LE(at + 10);
    const compressed = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(dataStart, dataStart + compressed);
    entries.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function writeZip(entries: ReadonlyMap<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name, "utf8");
    const data = deflateRawSync(content);
    const crc = crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.size, 8);
  end.writeUInt16LE(entries.size, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (_m, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }[name.toLowerCase()]!;
  });
}

/** Sheet name → path of its XML part inside the zip. */
export function sheetPaths(zip: ReadonlyMap<string, Buffer>): Map<string, string> {
  const workbook = zip.get("xl/workbook.xml")!.toString("utf8");
  const rels = zip.get("xl/_rels/workbook.xml.rels")!.toString("utf8");
  const targets = new Map<string, string>();
  for (const match of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(match[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(match[0])?.[1];
    if (id && target) targets.set(id, target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  }
  const paths = new Map<string, string>();
  for (const match of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = unescapeXml(/\bname="([^"]+)"/.exec(match[0])![1]!);
    const id = /\br:id="([^"]+)"/.exec(match[0])![1]!;
    paths.set(name, targets.get(id)!);
  }
  return paths;
}

function sharedStrings(zip: ReadonlyMap<string, Buffer>): string[] {
  const xml = zip.get("xl/sharedStrings.xml")?.toString("utf8");
  if (!xml) return [];
  return [...xml.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => unescapeXml([...m[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")));
}

/** Cached cell values of every sheet: sheet name → A1 reference → value. */
export function readValues(bytes: Uint8Array): Map<string, Map<string, XlsxValue>> {
  const zip = readZip(bytes);
  const strings = sharedStrings(zip);
  const result = new Map<string, Map<string, XlsxValue>>();
  for (const [name, path] of sheetPaths(zip)) {
    const xml = zip.get(path)!.toString("utf8");
    const cells = new Map<string, XlsxValue>();
    for (const match of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = match[1]!;
      const ref = /\br="([A-Z]+\d+)"/.exec(attrs)![1]!;
      const type = /\bt="(\w+)"/.exec(attrs)?.[1];
      const body = match[2] ?? "";
      const raw = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      if (type === "inlineStr") {
        cells.set(ref, unescapeXml([...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")));
        continue;
      }
      if (raw === undefined) continue;
      if (type === "s") cells.set(ref, strings[Number(raw)]!);
      else if (type === "str") cells.set(ref, unescapeXml(raw));
      else if (type === "b") cells.set(ref, raw === "1");
      else if (type === "e") cells.set(ref, { error: raw });
      else cells.set(ref, Number(raw));
    }
    result.set(name, cells);
  }
  return result;
}

/** A copy of the workbook with the number in `sheet`!`ref` replaced (the cell must hold a number). */
export function setNumber(bytes: Uint8Array, sheet: string, ref: string, value: number): Buffer {
  const zip = readZip(bytes);
  const path = sheetPaths(zip).get(sheet);
  if (!path) throw new Error(`no sheet ${sheet}`);
  const xml = zip.get(path)!.toString("utf8");
  const pattern = new RegExp(`(<c\\b[^>]*\\br="${ref}"[^>]*>)<v>[^<]*</v>(</c>)`);
  if (!pattern.test(xml)) throw new Error(`no number cell ${sheet}!${ref}`);
  zip.set(path, Buffer.from(xml.replace(pattern, `$1<v>${value}</v>$2`), "utf8"));
  return writeZip(zip);
}
