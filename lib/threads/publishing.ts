import * as z from "zod/mini";
import { readAnswer, type ThreadsClient, type ThreadsParams } from "./client";
import { ThreadsError } from "./errors";

/** Threads ids (users, containers, posts) are decimal numbers, sent as strings. */
export const threadsId = z.string().check(z.regex(/^\d{1,40}$/));

/** A post's address on Threads, which moved from threads.net to threads.com in 2025. */
const permalinkSchema = z.string().check(
  z.refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" && /^(www\.)?threads\.(com|net)$/.test(url.hostname);
    } catch {
      return false;
    }
  }, "a Threads link"),
);

const idAnswer = z.object({ id: threadsId });
const statusAnswer = z.object({
  id: z.optional(threadsId),
  status: z.enum(["IN_PROGRESS", "FINISHED", "PUBLISHED", "ERROR", "EXPIRED"]),
  error_message: z.optional(z.string()),
});
const permalinkAnswer = z.object({ id: z.optional(threadsId), permalink: permalinkSchema });
const threadsListAnswer = z.object({
  data: z.array(
    z.object({
      id: threadsId,
      permalink: z.optional(permalinkSchema),
      timestamp: z.string(),
      media_type: z.optional(z.string()),
      text: z.optional(z.string()),
    }),
  ),
  paging: z.optional(
    z.object({
      cursors: z.optional(z.object({ after: z.optional(z.string()) })),
      next: z.optional(z.string()),
    }),
  ),
});
const publishingLimitAnswer = z.object({
  data: z.array(
    z.object({
      quota_usage: z.number(),
      config: z.object({ quota_total: z.number(), quota_duration: z.number() }),
    }),
  ),
});

/** A photo's or a video's container, alone or as a carousel item. */
export type MediaContainerParams =
  | { media_type: "IMAGE"; image_url: string; alt_text?: string; is_carousel_item?: true; text?: string }
  | { media_type: "VIDEO"; video_url: string; alt_text?: string; is_carousel_item?: true; text?: string };

/** One media container, as `POST /me/threads` takes it; a carousel's `children` are its items' ids. */
export type ContainerParams =
  | MediaContainerParams
  | { media_type: "CAROUSEL"; children: string; text?: string };

/**
 * Makes a media container: Threads fetches the media from its URL (Instagram's CDN), so no byte
 * passes through us. Nothing is published yet; an unpublished container expires after 24 hours.
 * The writes go to `/me`, the token's own profile, as Meta's sample app does.
 */
export async function createContainer(
  client: ThreadsClient,
  token: string,
  params: ContainerParams,
): Promise<string> {
  const answer = await client.call({
    method: "POST",
    path: "/me/threads",
    token,
    params: params as ThreadsParams,
  });
  return readAnswer(idAnswer, answer, "the new media container", "retry").id;
}

export type ContainerStatus =
  /** Threads is still fetching or processing the media: look again later. */
  | { state: "in-progress" }
  /** Ready, and not published: publish this same container. */
  | { state: "finished" }
  /** Published; `mediaId` when the container's own id now names the post. */
  | { state: "published"; mediaId?: string }
  /** Threads could not take the media in (`FAILED_DOWNLOADING_VIDEO`, `INVALID_DURATION`, …). */
  | { state: "error"; reason: string }
  /** Not published within 24 hours: it never will be. */
  | { state: "expired" }
  /** Threads knows no such container (any more). */
  | { state: "not-found" };

/** Where a container is (`GET /{container-id}?fields=status,error_message`). */
export async function containerStatus(
  client: ThreadsClient,
  token: string,
  containerId: string,
): Promise<ContainerStatus> {
  let answer: unknown;
  try {
    answer = await client.call({
      method: "GET",
      path: `/${containerId}`,
      token,
      params: { fields: "id,status,error_message" },
    });
  } catch (error) {
    if (error instanceof ThreadsError && error.containerNotFound) return { state: "not-found" };
    // An id that became a post has no `status` any more: it is published, under the same id
    // (https://github.com/exileum/meta-mcp/issues/143).
    if (error instanceof ThreadsError && error.details.code === 100 && /\(status\)/.test(error.message)) {
      return { state: "published", mediaId: containerId };
    }
    throw error;
  }
  const { status, error_message } = readAnswer(statusAnswer, answer, "the container's status", "retry");
  switch (status) {
    case "IN_PROGRESS":
      return { state: "in-progress" };
    case "FINISHED":
      return { state: "finished" };
    case "PUBLISHED":
      return { state: "published" };
    case "EXPIRED":
      return { state: "expired" };
    case "ERROR":
      return { state: "error", reason: error_message ?? "UNKNOWN" };
  }
}

/** Publishes a finished container (`POST /me/threads_publish`): answers the post's id. */
export async function publishContainer(
  client: ThreadsClient,
  token: string,
  containerId: string,
): Promise<string> {
  const answer = await client.call({
    method: "POST",
    path: "/me/threads_publish",
    token,
    params: { creation_id: containerId },
  });
  return readAnswer(idAnswer, answer, "the publishing of the post", "retry").id;
}

/** The post's link on Threads (`GET /{media-id}?fields=permalink`). */
export async function postPermalink(client: ThreadsClient, token: string, mediaId: string): Promise<string> {
  const answer = await client.call({
    method: "GET",
    path: `/${mediaId}`,
    token,
    params: { fields: "id,permalink" },
  });
  return readAnswer(permalinkAnswer, answer, "the post's link", "retry").permalink;
}

export interface ListedThread {
  id: string;
  permalink?: string;
  /** Epoch ms. */
  at: number;
  mediaType: string;
  text: string;
}

/** How far back the profile's threads are read, page by page: far enough for a busy profile. */
const LIST_PAGES = 4;
const LIST_PAGE_SIZE = 50;
/** Threads' clock and ours differ a little: the window opens a minute early. */
const CLOCK_SKEW_MS = 60_000;

/** The profile's own threads since `sinceMs`, newest first (`GET /me/threads`). */
export async function recentThreads(
  client: ThreadsClient,
  token: string,
  sinceMs: number,
): Promise<ListedThread[]> {
  const listed: ListedThread[] = [];
  let after: string | undefined;
  for (let page = 0; page < LIST_PAGES; page++) {
    const answer = await client.call({
      method: "GET",
      path: "/me/threads",
      token,
      params: {
        fields: "id,permalink,timestamp,media_type,text",
        since: Math.floor((sinceMs - CLOCK_SKEW_MS) / 1000),
        limit: LIST_PAGE_SIZE,
        after,
      },
    });
    const { data, paging } = readAnswer(threadsListAnswer, answer, "the list of recent threads", "retry");
    for (const item of data) {
      listed.push({
        id: item.id,
        permalink: item.permalink,
        at: threadsTime(item.timestamp),
        mediaType: item.media_type ?? "",
        text: item.text ?? "",
      });
    }
    after = paging?.next ? paging.cursors?.after : undefined;
    if (!after || data.length === 0) break;
  }
  return listed;
}

/** How many posts the profile published through the API in Threads' moving window, and its limit. */
export async function publishingQuota(
  client: ThreadsClient,
  token: string,
): Promise<{ used: number; total: number; windowMs: number } | undefined> {
  const answer = await client.call({
    method: "GET",
    path: "/me/threads_publishing_limit",
    token,
    params: { fields: "quota_usage,config" },
  });
  const [quota] = readAnswer(publishingLimitAnswer, answer, "the publishing limit", "retry").data;
  return (
    quota && {
      used: quota.quota_usage,
      total: quota.config.quota_total,
      windowMs: quota.config.quota_duration * 1000,
    }
  );
}

/** Threads writes times as `2026-08-01T12:34:56+0000`; NaN (never in a window) when unreadable. */
function threadsTime(text: string): number {
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
}
