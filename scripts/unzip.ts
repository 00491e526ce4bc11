/**
 * Reads a zip file's entries, so the store zips can be checked (and the Firefox one unpacked for
 * web-ext lint) without an `unzip` on the machine or another dependency. Enough for the zips WXT
 * writes: stored or deflated entries, no zip64, no encryption.
 */
import { inflateRawSync } from "node:zlib";
import { crc32 } from "./png";

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** Every file in the zip, by its path inside it, with its content. */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is the last 22 bytes, plus a comment of up to 64 kB.
  let end = bytes.length - 22;
  while (
    end >= Math.max(0, bytes.length - 22 - 0xffff) &&
    view.getUint32(end, true) !== END_OF_CENTRAL_DIRECTORY
  )
    end--;
  if (end < 0 || view.getUint32(end, true) !== END_OF_CENTRAL_DIRECTORY) throw new Error("not a zip file");
  const count = view.getUint16(end + 10, true);
  const entries = new Map<string, Uint8Array>();
  let offset = view.getUint32(end + 16, true);
  for (let index = 0; index < count; index++) {
    if (view.getUint32(offset, true) !== CENTRAL_FILE_HEADER)
      throw new Error(`zip entry ${index}: bad header`);
    const method = view.getUint16(offset + 10, true);
    const crc = view.getUint32(offset + 16, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const local = view.getUint32(offset + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;

    if (view.getUint32(local, true) !== LOCAL_FILE_HEADER) throw new Error(`${name}: bad local header`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const stored = bytes.subarray(start, start + compressedSize);
    if (method !== 0 && method !== 8)
      throw new Error(`${name}: compression method ${method} is not supported`);
    const content = new Uint8Array(method === 0 ? stored : inflateRawSync(stored));
    if (content.length !== size || crc32(content) !== crc)
      throw new Error(`${name}: damaged (size or CRC-32)`);
    if (!name.endsWith("/")) entries.set(name, content);
  }
  return entries;
}
