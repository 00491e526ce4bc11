import { createServer, type Server } from "node:http";
import { connect, type Socket } from "node:net";

export type ConnectProxy = {
  port: number;
  /** `host:port` targets the proxy refused: what the browser tried to reach beyond the stand-ins. */
  readonly refused: readonly string[];
  close(): Promise<void>;
};

/**
 * An HTTP CONNECT proxy for Firefox, which has no host-resolver rules: tunnels port 443 of the
 * stand-in hosts to the local HTTPS server and refuses everything else, so nothing leaves the machine.
 */
export async function startConnectProxy(options: {
  hosts: readonly string[];
  targetPort: number;
}): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const refused: string[] = [];
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };

  const server: Server = createServer((req, res) => {
    // Plain-HTTP proxying: nothing the tests need goes over http://.
    refused.push(req.url ?? "");
    res.writeHead(403, { "content-type": "text/plain" }).end("alsoshare test proxy: refused");
  });
  server.on("connection", track);
  server.on("connect", (req, client: Socket, head: Buffer) => {
    const target = req.url ?? "";
    const [host = "", port = ""] = target.split(":");
    if (port !== "443" || !options.hosts.includes(host.toLowerCase())) {
      refused.push(target);
      client.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const upstream = connect(options.targetPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");

  return {
    port: address.port,
    refused,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
