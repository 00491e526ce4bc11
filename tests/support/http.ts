import type { IncomingMessage, ServerResponse } from "node:http";

export type UploadedFile = { filename: string; type: string; bytes: Buffer };

/** A request body as the stand-ins see it, whatever encoding the client chose. */
export type ParsedBody = {
  raw: Buffer;
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
  json?: unknown;
};

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Parses urlencoded, multipart and JSON bodies; anything else is kept raw only. */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  const parsed: ParsedBody = { raw, fields: {}, files: {} };
  const type = (contentType ?? "").toLowerCase();
  if (raw.length === 0) return parsed;
  if (type.startsWith("application/json")) {
    try {
      parsed.json = JSON.parse(raw.toString("utf8"));
    } catch {
      return parsed;
    }
    if (isRecord(parsed.json)) {
      for (const [key, value] of Object.entries(parsed.json)) {
        parsed.fields[key] = typeof value === "string" ? value : JSON.stringify(value);
      }
    }
    return parsed;
  }
  if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
    // Node's own Fetch API parses both encodings, multipart included, so no parser of our own.
    const form = await new Response(new Uint8Array(raw), {
      headers: { "content-type": contentType ?? "" },
    }).formData();
    for (const [key, value] of form) {
      if (typeof value === "string") parsed.fields[key] = value;
      else {
        const file = value as File;
        parsed.files[key] = {
          filename: file.name,
          type: file.type,
          bytes: Buffer.from(await file.arrayBuffer()),
        };
      }
    }
  }
  return parsed;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=UTF-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = "text/plain; charset=utf-8",
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An unref'd timer: a slow or hung stand-in answer must not keep the test process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
