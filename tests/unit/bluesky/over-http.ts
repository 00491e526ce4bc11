import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";
import type { BlueskyStandin } from "../../support/bluesky-standin";

/**
 * The Bluesky stand-in on a local port for the test that calls this, and a `fetch` that sends
 * every https URL of its hosts there with its real Host header: the client under test speaks real
 * HTTP to it (headers, bodies, a dropped socket is a network error), and a URL for any other host
 * fails as the network would. The server stops when the test ends.
 */
export async function blueskyOverHttp(standin: BlueskyStandin): Promise<typeof fetch> {
  const server = createServer((req, res) => {
    standin.handle(req, res).catch((error: unknown) => {
      console.error("bluesky stand-in failed", error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return async (input, init) => {
    // Request normalizes every body (a string, a Blob) with its content type.
    const outgoing = new Request(input instanceof Request ? input : String(input), init);
    const target = new URL(outgoing.url);
    if (target.protocol !== "https:" || !standin.hosts.includes(target.hostname)) {
      throw new TypeError(`fetch failed: ${target.origin} is not a Bluesky stand-in host`);
    }
    const body = outgoing.body ? Buffer.from(await outgoing.arrayBuffer()) : undefined;
    const headers: Record<string, string> = {
      ...Object.fromEntries(outgoing.headers),
      host: target.hostname,
    };
    if (body) headers["content-length"] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const sent = request(
        {
          host: "127.0.0.1",
          port,
          path: `${target.pathname}${target.search}`,
          method: outgoing.method,
          headers,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", () => reject(new TypeError("fetch failed")));
          res.on("end", () => {
            const answered = new Headers();
            for (const [key, value] of Object.entries(res.headers)) {
              for (const item of Array.isArray(value) ? value : [value ?? ""]) answered.append(key, item);
            }
            resolve(
              new Response(new Uint8Array(Buffer.concat(chunks)), {
                status: res.statusCode ?? 500,
                headers: answered,
              }),
            );
          });
        },
      );
      // A dropped connection is what `fetch` calls a network error.
      sent.on("error", () => reject(new TypeError("fetch failed")));
      const signal = init?.signal;
      signal?.addEventListener("abort", () => {
        sent.destroy();
        reject(signal.reason);
      });
      sent.end(body);
    });
  };
}
