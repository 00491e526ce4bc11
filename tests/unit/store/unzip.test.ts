import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../../scripts/png";
import { readZip } from "../../../scripts/unzip";

/*
 * The zip reader check-zips.ts trusts to see what the stores will get: it must give back each file
 * as it went in, stored or deflated, and refuse a damaged file rather than lint half of one.
 */

type Entry = { name: string; content: Uint8Array; deflate: boolean };

/** A zip as the format defines it: local headers and data, the central directory, the end record. */
function zipOf(entries: Entry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, content, deflate } of entries) {
    const data = deflate ? deflateRawSync(content) : Buffer.from(content);
    const fileName = Buffer.from(name, "utf8");
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(deflate ? 8 : 0, at);
      header.writeUInt32LE(crc32(content), at + 6);
      header.writeUInt32LE(data.length, at + 10);
      header.writeUInt32LE(content.length, at + 14);
      header.writeUInt16LE(fileName.length, at + 18);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 8);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    fields(central, 10);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const manifest = new TextEncoder().encode(JSON.stringify({ manifest_version: 3, name: "alsoshare" }));
const icon = Uint8Array.from({ length: 300 }, (_, index) => (index * 7) % 256);

describe("reading the store zips", () => {
  it("gives back every file as it went in, stored or deflated", () => {
    const files = readZip(
      zipOf([
        { name: "manifest.json", content: manifest, deflate: true },
        { name: "icon/16.png", content: icon, deflate: false },
      ]),
    );
    expect([...files.keys()]).toEqual(["manifest.json", "icon/16.png"]);
    expect(files.get("manifest.json")).toEqual(manifest);
    expect(files.get("icon/16.png")).toEqual(icon);
  });

  it("refuses a zip whose file was damaged", () => {
    const zip = zipOf([{ name: "icon/16.png", content: icon, deflate: false }]);
    const byte = 30 + "icon/16.png".length + 10;
    zip[byte] = (zip[byte] ?? 0) ^ 0xff;
    expect(() => readZip(zip)).toThrow(/icon\/16\.png: damaged/);
  });

  it("refuses what is not a zip", () => {
    expect(() =>
      readZip(new TextEncoder().encode("a plain text file, long enough to hold an end record")),
    ).toThrow(/not a zip/);
  });
});
