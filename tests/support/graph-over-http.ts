import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";
import { createGraphClient, type GraphClient } from "@/lib/facebook/graph";
import { createGraphStandin, type GraphStandin } from "./graph-standin";

/**
 * The Graph stand-in the e2e tests use, served on a local HTTP port for unit tests: the extension's
 * real Graph client talks to it over the wire (form bodies, headers, error answers), and every URL
 * it builds for graph.facebook.com or rupload.facebook.com lands here instead. Every Instagram
 * media URL is "fetchable" by Facebook and answers a few bytes. The server stops after each test.
 */
export async function graphOverHttp(clock: { now: number }): Promise<{
  graph: GraphStandin;
  client: GraphClient;
}> {
  const graph = createGraphStandin({
    lookupMedia: (url) =>
      url.startsWith("https://scontent.cdninstagram.com/")
        ? { type: url.endsWith(".mp4") ? "video/mp4" : "image/jpeg", bytes: Buffer.from("media bytes") }
        : undefined,
    now: () => clock.now,
  });
  const server = createServer((req, res) => {
    // The upload host's paths are its own; everything else is graph.facebook.com.
    const handler = req.url?.startsWith("/video-upload/") ? graph.handleUpload : graph.handle;
    handler(req, res).catch((error: unknown) => {
      console.error("graph stand-in failed", error);
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
  const toStandin: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    return fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, init);
  };
  return { graph, client: createGraphClient(toStandin) };
}
