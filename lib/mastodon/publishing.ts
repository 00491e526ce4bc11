import * as z from "zod/mini";
import { idSegment, type MastodonClient, mastodonId, readAnswer } from "./client";

/** The bytes of one file to attach, with the alt text that goes with it. */
export interface MediaUpload {
  blob: Blob;
  filename: string;
  description?: string;
}

/** Where one uploaded attachment is in Mastodon's processing. */
export type MediaState = "ready" | "processing" | "attached-or-gone";

export interface MastodonPost {
  postId: string;
  url: string;
}

const mediaAnswer = z.object({ id: mastodonId });
const link = z.string().check(z.regex(/^https:\/\/\S{1,4090}$/));
const statusAnswer = z.object({
  id: mastodonId,
  // `url` is null for some remote statuses; ours always has one, and its `uri` else.
  url: z.optional(z.nullable(link)),
  uri: link,
});
const listedStatus = z.object({
  id: mastodonId,
  created_at: z.string(),
  url: z.optional(z.nullable(link)),
  uri: link,
  content: z.string(),
  media_attachments: z.array(z.object({ id: mastodonId })),
});
const statusList = z.array(listedStatus);
export type ListedStatus = z.infer<typeof listedStatus>;

/** A photo: a few seconds at most; the bytes of a long video take longer to send. */
const UPLOAD_BASE_MS = 15_000;
/** 500 kB a second, a slow uplink's pace, for the time an upload is given. */
const UPLOAD_BYTES_PER_MS = 500;
/** Below the queue's lease on the job, so an upload never outlives its attempt. */
const UPLOAD_MAX_MS = 100_000;

/**
 * Uploads one file (`POST /api/v2/media`, multipart). Mastodon answers 200 when it processed the
 * file at once (images, since 4.0), 202 when it goes on in the background (videos): its id is
 * usable either way, and `mediaState` says when it is ready.
 */
export async function uploadMedia(
  client: MastodonClient,
  token: string,
  upload: MediaUpload,
): Promise<{ id: string; ready: boolean }> {
  const answer = await client.call({
    method: "POST",
    path: "/api/v2/media",
    token,
    form: {
      file: { blob: upload.blob, filename: upload.filename },
      ...(upload.description && { description: upload.description }),
    },
    timeoutMs: Math.min(UPLOAD_MAX_MS, UPLOAD_BASE_MS + Math.ceil(upload.blob.size / UPLOAD_BYTES_PER_MS)),
  });
  const { id } = readAnswer(mediaAnswer, answer.body, "the media upload", "retry");
  return { id, ready: answer.status !== 202 };
}

/**
 * Where an uploaded attachment is (`GET /api/v1/media/:id`): 200 processed, 206 still processing.
 * Mastodon finds only attachments no status holds yet, so a 404 means a status has it (or it was
 * removed): the id is no longer ours to attach.
 */
export async function mediaState(client: MastodonClient, token: string, id: string): Promise<MediaState> {
  const answer = await client.call({
    method: "GET",
    path: `/api/v1/media/${idSegment(id)}`,
    token,
    answers: [404],
  });
  if (answer.status === 404) return "attached-or-gone";
  readAnswer(mediaAnswer, answer.body, "the media lookup", "retry");
  return answer.status === 206 ? "processing" : "ready";
}

/**
 * Publishes the status (`POST /api/v1/statuses`), public, with its attachments in order. The
 * `Idempotency-Key` makes Mastodon answer a repeat, for an hour, with the status the first one made.
 */
export async function postStatus(
  client: MastodonClient,
  token: string,
  status: { text: string; mediaIds: readonly string[]; idempotencyKey: string },
): Promise<MastodonPost> {
  const answer = await client.call({
    method: "POST",
    path: "/api/v1/statuses",
    token,
    idempotencyKey: status.idempotencyKey,
    form: { status: status.text, "media_ids[]": status.mediaIds, visibility: "public" },
    // Mastodon keeps the key's status id and looks the status up by it: a 404 is that status
    // deleted since, not a server without this API.
    notFound:
      "Mastodon says the post alsoshare made for this within the last hour was deleted since, so it was not posted again. Press Retry in an hour to post it anew.",
  });
  const { id, url, uri } = readAnswer(statusAnswer, answer.body, "the new post", "retry");
  return { postId: id, url: url ?? uri };
}

/** The most an account's statuses are read, page by page, when looking for an earlier attempt's. */
const LOOKUP_PAGES = 5;
/** Mastodon's largest page of an account's statuses. */
const LOOKUP_PAGE_SIZE = 40;
/** The server's clock and ours differ a little: the window opens a few minutes early. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The account's own statuses created since `sinceMs`, newest first (`GET
 * /api/v1/accounts/:id/statuses`, paged by `max_id`), until `stop` finds one.
 */
export async function findOwnStatus(
  client: MastodonClient,
  token: string,
  search: { userId: string; sinceMs: number; withMedia: boolean; stop: (status: ListedStatus) => boolean },
): Promise<MastodonPost | undefined> {
  const oldest = search.sinceMs - CLOCK_SKEW_MS;
  let maxId: string | undefined;
  for (let page = 0; page < LOOKUP_PAGES; page++) {
    const answer = await client.call({
      method: "GET",
      path: `/api/v1/accounts/${idSegment(search.userId)}/statuses`,
      token,
      query: {
        limit: LOOKUP_PAGE_SIZE,
        exclude_reblogs: true,
        ...(search.withMedia && { only_media: true }),
        max_id: maxId,
      },
    });
    const statuses = readAnswer(statusList, answer.body, "the list of recent posts", "retry");
    const found = statuses.find(search.stop);
    if (found) return { postId: found.id, url: found.url ?? found.uri };
    const last = statuses.at(-1);
    if (!last || !(Date.parse(last.created_at) >= oldest)) return undefined;
    maxId = last.id;
  }
  return undefined;
}

/**
 * A status's text as the user wrote it, near enough to compare: Mastodon answers it as HTML
 * (paragraphs, line breaks, links whose shown text is split in spans).
 */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p[^>]*>/gi, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#\d+|#x[\da-f]+|amp|lt|gt|quot|apos|nbsp);/gi, (entity, name: string) => {
      const lower = name.toLowerCase();
      if (lower.startsWith("#x")) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
      if (lower.startsWith("#")) return String.fromCodePoint(Number(lower.slice(1)));
      return NAMED_ENTITIES[lower] ?? entity;
    })
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};
