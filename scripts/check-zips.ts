/**
 * Checks what `npm run zip` made, as the stores receive it, and fails loudly on the first thing wrong:
 * - each browser's zip holds exactly its build folder, and its manifest's icons (16 to 128, and the
 *   toolbar's) are in it as PNGs of the sizes they claim;
 * - Firefox's sources zip holds what README.md's build steps need and nothing else, and building
 *   from it gives byte for byte the files of the Firefox zip (what AMO's reviewers check);
 * - the Firefox zip is unpacked into `<dir>` for web-ext lint, which lints folders.
 *
 *   npx tsx scripts/check-zips.ts <dir>
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { unzipSync } from "fflate";
import { ICON_SIZES, readPngHeader } from "./store-assets";

type Files = Map<string, Uint8Array>;

const OUT_DIR = resolve(process.env.ALSOSHARE_OUT_DIR ?? ".output");
/** What the sources zip must hold for `npm install && npm run build` to work from it alone. */
const SOURCES_NEEDED = ["README.md", "package.json", "package-lock.json", "wxt.config.ts", "tsconfig.json"];
const SOURCES_FOLDERS = ["assets/", "components/", "entrypoints/", "lib/", "public/"];

async function main() {
  const unpackTo = process.argv[2];
  if (!unpackTo) throw new Error("usage: tsx scripts/check-zips.ts <dir to unpack the Firefox zip into>");
  const { name, version } = JSON.parse(await readFile("package.json", "utf8")) as {
    name: string;
    version: string;
  };
  const zip = async (suffix: string) => readZip(join(OUT_DIR, `${name}-${version}-${suffix}.zip`));

  const chrome = await zip("chrome-mv3");
  await sameAsFolder(chrome, join(OUT_DIR, "chrome-mv3"), "the Chrome zip");
  checkIcons(chrome, "the Chrome zip");

  const firefox = await zip("firefox-mv3");
  await sameAsFolder(firefox, join(OUT_DIR, "firefox-mv3"), "the Firefox zip");
  checkIcons(firefox, "the Firefox zip");

  const sources = await zip("sources");
  checkSourcesList(sources);
  await rebuildsTheSame(sources, firefox);

  await rm(unpackTo, { recursive: true, force: true });
  await writeFiles(unpackTo, firefox);
  console.log(`unpacked the Firefox zip into ${unpackTo}`);
}

async function sameAsFolder(zip: Files, folder: string, what: string, folderLabel = relative(".", folder)) {
  const built = await readFolder(folder);
  const differ = [...new Set([...zip.keys(), ...built.keys()])].filter(
    (path) => !Buffer.from(zip.get(path) ?? []).equals(Buffer.from(built.get(path) ?? [1])),
  );
  if (differ.length > 0)
    throw new Error(`${what} is not ${folderLabel}: ${differ.slice(0, 5).join(", ")} differ`);
  console.log(`${what}: ${zip.size} files, the same as ${folderLabel}`);
}

function checkIcons(zip: Files, what: string) {
  const manifest = JSON.parse(Buffer.from(zip.get("manifest.json") ?? "null").toString("utf8")) as {
    icons?: Record<string, string>;
    action?: { default_icon?: Record<string, string> };
  } | null;
  if (!manifest) throw new Error(`${what} has no manifest.json`);
  const icons = manifest.icons ?? {};
  const missing = ICON_SIZES.filter((size) => !icons[size]);
  if (missing.length > 0) throw new Error(`${what}: the manifest lists no icon of ${missing.join(", ")} px`);
  const toolbar = manifest.action?.default_icon ?? {};
  if (Object.keys(toolbar).length === 0)
    throw new Error(`${what}: the manifest's action has no default_icon`);
  for (const [size, path] of [...Object.entries(icons), ...Object.entries(toolbar)]) {
    const file = zip.get(path);
    if (!file) throw new Error(`${what}: the manifest's ${size} px icon ${path} is not in the zip`);
    const { width, height } = readPngHeader(file);
    if (width !== Number(size) || height !== Number(size)) {
      throw new Error(`${what}: ${path} is ${width}×${height}, the manifest says ${size}`);
    }
  }
  console.log(
    `${what}: icons ${Object.keys(icons).join(", ")} and toolbar ${Object.keys(toolbar).join(", ")}, each that size`,
  );
}

function checkSourcesList(sources: Files) {
  const paths = [...sources.keys()];
  const missing = [
    ...SOURCES_NEEDED.filter((path) => !sources.has(path)),
    ...SOURCES_FOLDERS.filter((folder) => !paths.some((path) => path.startsWith(folder))),
  ];
  if (missing.length > 0) throw new Error(`the sources zip lacks ${missing.join(", ")}`);
  const stray = paths.filter(
    (path) => !SOURCES_NEEDED.includes(path) && !SOURCES_FOLDERS.some((folder) => path.startsWith(folder)),
  );
  if (stray.length > 0)
    throw new Error(`the sources zip holds what a rebuild does not need: ${stray.slice(0, 5).join(", ")}`);
  if (
    !Buffer.from(sources.get("README.md") ?? [])
      .toString("utf8")
      .includes("wxt build -b firefox --mv3")
  ) {
    throw new Error("the sources zip's README.md does not give the Firefox build command");
  }
}

/** Builds for Firefox from the unpacked sources (with our installed node_modules) and compares. */
async function rebuildsTheSame(sources: Files, firefox: Files) {
  const root = await mkdtemp(join(tmpdir(), "alsoshare-sources-"));
  try {
    await writeFiles(root, sources);
    await symlink(resolve("node_modules"), join(root, "node_modules"), "dir");
    const out = join(root, ".output");
    const build = spawnSync(join(root, "node_modules/.bin/wxt"), ["build", "-b", "firefox", "--mv3"], {
      cwd: root,
      env: { ...process.env, ALSOSHARE_OUT_DIR: out },
      encoding: "utf8",
    });
    if (build.status !== 0)
      throw new Error(`building from the sources zip failed:\n${build.stdout}\n${build.stderr}`);
    await sameAsFolder(
      firefox,
      join(out, "firefox-mv3"),
      "the Firefox zip",
      "a build from the sources zip alone",
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Every file in the zip at `path` by its path inside it, folders left out. fflate does not check
 * CRC-32s; a damaged entry that still inflates fails anyway, as every file is compared byte for byte
 * with a build (the sources zip's through the build made from them).
 */
async function readZip(path: string): Promise<Files> {
  const bytes = new Uint8Array(await readFile(path));
  try {
    return new Map(Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith("/")));
  } catch (error) {
    throw new Error(`${relative(".", path)} is not a whole zip: ${(error as Error).message}`);
  }
}

async function readFolder(folder: string): Promise<Files> {
  const files: Files = new Map();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(folder, path).replaceAll("\\", "/"), new Uint8Array(await readFile(path)));
  }
  return files;
}

async function writeFiles(folder: string, files: Files) {
  for (const [path, content] of files) {
    const target = join(folder, path);
    if (relative(folder, target).startsWith("..")) throw new Error(`zip entry ${path} points outside`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
