import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export type Certificate = { key: string; cert: string };

/** The host names the stand-ins answer for; the certificate covers exactly these. */
export const STANDIN_HOSTS = [
  "www.instagram.com",
  "scontent.cdninstagram.com",
  "graph.facebook.com",
  "rupload.facebook.com",
  "www.facebook.com",
  // The other services' stand-ins (issue 15).
  "graph.threads.net",
  "threads.com",
  "mastodon.example",
  "bsky.social",
  "pds.host.bsky.network",
  // Tumblr's API and the page where the user allows the app.
  "api.tumblr.com",
  "www.tumblr.com",
] as const;

const run = promisify(execFile);
let cached: Promise<Certificate> | undefined;

/**
 * A self-signed certificate made at test time, so no key ever sits in the repository.
 * One per process: openssl takes ~100 ms and every stand-in server can share it.
 */
export function makeCertificate(dir?: string): Promise<Certificate> {
  cached ??= create(dir).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function create(dir: string | undefined): Promise<Certificate> {
  const target = dir ?? (await mkdtemp(join(tmpdir(), "alsoshare-cert-")));
  const keyPath = join(target, "standin.key");
  const certPath = join(target, "standin.crt");
  const san = STANDIN_HOSTS.map((host) => `DNS:${host}`).join(",");
  await run("/usr/bin/openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=alsoshare-standin",
    "-addext",
    `subjectAltName=${san}`,
    "-keyout",
    keyPath,
    "-out",
    certPath,
  ]);
  const [key, cert] = await Promise.all([readFile(keyPath, "utf8"), readFile(certPath, "utf8")]);
  return { key, cert };
}
