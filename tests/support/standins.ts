import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, request } from "node:https";
import type { Socket } from "node:net";
import { type BlueskyStandin, createBlueskyStandin } from "./bluesky-standin";
import { type Certificate, makeCertificate, STANDIN_HOSTS } from "./certs";
import { type ConnectProxy, startConnectProxy } from "./connect-proxy";
import { createFacebookStandin, type FacebookStandin } from "./facebook-standin";
import { createGraphStandin, type GraphStandin } from "./graph-standin";
import { sendText } from "./http";
import { createInstagramStandin, type InstagramStandin } from "./instagram-standin";
import { createMastodonStandin, type MastodonStandin } from "./mastodon-standin";
import { createThreadsStandin, type ThreadsStandin } from "./threads-standin";
import { createTumblrStandin, type TumblrStandin } from "./tumblr-standin";

/*
 * The offline stand-ins for www.instagram.com, its CDN, graph.facebook.com and www.facebook.com on
 * one local HTTPS port, routed by Host header. Browsers reach them under their real names:
 * Chromium through `chromiumHostRules`, Firefox through the CONNECT proxy (see browsers.ts).
 *
 *   const standins = await startStandins();
 *   standins.graph.addPage({ id: "1001", name: "Acme Bakery", token: "EAAG…" });
 *   standins.graph.inject({ path: /\/photos$/, status: 503 });
 *   …
 *   await standins.stop();
 */

export type StandinsOptions = {
  certificate?: Certificate;
  /** Clock for recorded times and Graph's `created_time`; defaults to `Date.now`. */
  now?: () => number;
  /** Pages served as given, by full URL (e.g. a benchmark's page on www.instagram.com), before any stand-in. */
  pages?: Record<string, string>;
};

export type Standins = {
  /** The local HTTPS port every stand-in host is served on. */
  port: number;
  /** The CONNECT proxy port (Firefox). */
  proxyPort: number;
  hosts: string[];
  /** For Chromium's `--host-resolver-rules`: the stand-in hosts go here, every other name fails. */
  chromiumHostRules: string;
  graph: GraphStandin;
  instagram: InstagramStandin;
  facebook: FacebookStandin;
  threads: ThreadsStandin;
  mastodon: MastodonStandin;
  bluesky: BlueskyStandin;
  tumblr: TumblrStandin;
  /** What the browser tried to reach through the proxy and was refused. */
  readonly refused: readonly string[];
  /** Forgets every stand-in's state and fault (the servers keep running). */
  reset(): void;
  /** `fetch` for Node-side tests: sends to the stand-in for the URL's host, TLS checks off for this call only. */
  fetchAs(url: string | URL, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
};

export async function startStandins(options: StandinsOptions = {}): Promise<Standins> {
  const certificate = options.certificate ?? (await makeCertificate());
  const now = options.now ?? Date.now;
  const instagram = createInstagramStandin({ now });
  const graph = createGraphStandin({ lookupMedia: instagram.lookupMedia, now });
  const facebook = createFacebookStandin({ now });
  // Threads fetches a post's media from Instagram's CDN itself, as Facebook does.
  const threads = createThreadsStandin({
    now,
    lookupMedia: (url) => {
      const media = instagram.lookupMedia(url);
      return media && { type: media.type.startsWith("video") ? "video" : "image", bytes: media.bytes.length };
    },
  });
  const mastodon = createMastodonStandin({ now, host: "mastodon.example" });
  const bluesky = createBlueskyStandin({ now });
  const tumblr = createTumblrStandin({ now });
  const hosts = [...STANDIN_HOSTS];

  const handlers: Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>> = {
    "www.instagram.com": instagram.handleWww,
    // Files of posts only Instagram's API knows (made on the phone) are served beside the web uploads'.
    "scontent.cdninstagram.com": (req, res) => {
      const media = graph.lookupInstagramMedia(`https://scontent.cdninstagram.com${req.url ?? "/"}`);
      if (!media) return instagram.handleCdn(req, res);
      res.writeHead(200, { "content-type": media.type, "content-length": media.bytes.length });
      res.end(req.method === "HEAD" ? undefined : media.bytes);
    },
    "graph.facebook.com": graph.handle,
    "rupload.facebook.com": graph.handleUpload,
    "www.facebook.com": facebook.handle,
    "graph.threads.net": threads.handle,
    "threads.com": threads.handle,
    "mastodon.example": mastodon.handle,
    "bsky.social": bluesky.handle,
    "pds.host.bsky.network": bluesky.handle,
    "api.tumblr.com": tumblr.handle,
    "www.tumblr.com": tumblr.handle,
  };

  const sockets = new Set<Socket>();
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const page = options.pages?.[`https://${host}${(req.url ?? "/").split("?")[0]}`];
    if (page !== undefined) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
      return;
    }
    const handler = handlers[host];
    if (!handler) {
      sendText(res, 421, `No stand-in for host ${host}`);
      return;
    }
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      // A bug in a stand-in must show up in the test output, not as a silent hang.
      console.error(`stand-in ${host} failed on ${req.method} ${req.url}`, error);
      if (!res.headersSent) sendText(res, 500, "stand-in error");
      else res.destroy();
    });
  });
  // Keep-alive and hung sockets would keep the test process alive after stop().
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("stand-in server has no port");
  const port = address.port;

  let proxy: ConnectProxy;
  try {
    proxy = await startConnectProxy({ hosts, targetPort: port });
  } catch (error) {
    server.close();
    throw error;
  }

  return {
    port,
    proxyPort: proxy.port,
    hosts,
    chromiumHostRules: [
      ...hosts.map((host) => `MAP ${host} 127.0.0.1:${port}`),
      "MAP * ~NOTFOUND",
      "EXCLUDE localhost",
      "EXCLUDE 127.0.0.1",
    ].join(","),
    graph,
    instagram,
    facebook,
    threads,
    mastodon,
    bluesky,
    tumblr,
    get refused() {
      return proxy.refused;
    },
    reset: () => {
      graph.reset();
      instagram.reset();
      facebook.reset();
      threads.reset();
      mastodon.reset();
      bluesky.reset();
      tumblr.reset();
    },
    fetchAs: (url, init) => fetchAs(port, hosts, url, init),
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.all([closed, proxy.close()]);
    },
  };
}

async function fetchAs(
  port: number,
  hosts: readonly string[],
  url: string | URL,
  init?: RequestInit,
): Promise<Response> {
  // Request normalizes every BodyInit (FormData, URLSearchParams, Blob…) with its content-type.
  const outgoing = new Request(url, init);
  const target = new URL(outgoing.url);
  if (target.protocol !== "https:" || !hosts.includes(target.hostname)) {
    throw new Error(`fetchAs: ${target.origin} is not a stand-in`);
  }
  const body = outgoing.body ? Buffer.from(await outgoing.arrayBuffer()) : undefined;
  const headers: Record<string, string> = { ...Object.fromEntries(outgoing.headers), host: target.hostname };
  if (body) headers["content-length"] = String(body.length);

  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        servername: target.hostname,
        path: `${target.pathname}${target.search}`,
        method: outgoing.method,
        headers,
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const status = res.statusCode ?? 500;
          const responseHeaders = new Headers();
          for (const [key, value] of Object.entries(res.headers)) {
            for (const item of Array.isArray(value) ? value : [value ?? ""])
              responseHeaders.append(key, item);
          }
          const noBody = [101, 204, 205, 304].includes(status) || outgoing.method === "HEAD";
          resolve(
            new Response(noBody ? null : new Uint8Array(Buffer.concat(chunks)), {
              status,
              statusText: res.statusMessage,
              headers: responseHeaders,
            }),
          );
        });
      },
    );
    req.on("error", reject);
    const signal = init?.signal;
    signal?.addEventListener(
      "abort",
      () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted")),
      {
        once: true,
      },
    );
    req.end(body);
  });
}
