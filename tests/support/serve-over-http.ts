import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/** A stand-in as unit tests serve it: the hosts it answers for, and its Node handler. */
export interface ServedStandin {
  readonly hosts: readonly string[];
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/**
 * A stand-in on a local port for unit tests, with a `fetch` that sends every https URL of its hosts
 * there with its real Host header: the client under test speaks real HTTP to it (headers, bodies, a
 * dropped socket is a network error), and a URL for any other host fails as the network would.
 */
export async function serveOverHttp(
  service: string,
  standin: ServedStandin,
): Promise<{ fetch: typeof fetch; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    Promise.resolve(standin.handle(req, res)).catch((error: unknown) => {
      console.error(`${service} stand-in failed`, error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fetchImpl: typeof fetch = async (input, init) => {
    // Request normalizes every body (a string, a Blob, FormData) with its content type.
    const outgoing = new Request(input instanceof Request ? input : String(input), init);
    const target = new URL(outgoing.url);
    if (target.protocol !== "https:" || target.port !== "" || !standin.hosts.includes(target.hostname)) {
      throw new TypeError(`fetch failed: ${target.origin} is not a ${service} stand-in host`);
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
            const status = res.statusCode ?? 500;
            const content = [204, 304].includes(status) ? null : new Uint8Array(Buffer.concat(chunks));
            resolve(new Response(content, { status, headers: answered }));
          });
        },
      );
      // A dropped connection is what `fetch` calls a network error.
      sent.on("error", () => reject(new TypeError("fetch failed")));
      const signal = init?.signal;
      signal?.addEventListener(
        "abort",
        () => {
          sent.destroy();
          reject(signal.reason);
        },
        { once: true },
      );
      sent.end(body);
    });
  };
  return {
    fetch: fetchImpl,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
