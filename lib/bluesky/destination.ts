import * as z from "zod/mini";
import type { AccountRecord } from "../db/schema";
import type { Attempt, Destination, EarlierAttempt, PostResult } from "../destinations/destination";
import { NotShareableError, ShareError } from "../destinations/errors";
import { posted } from "../destinations/outcomes";
import type { MediaItem } from "../instagram/post";
import type { AttemptOutcome } from "../queue/lifecycle";
import { BlueskyError, isTooLarge } from "./errors";
import {
  BLUESKY_IMAGE_BYTES,
  BLUESKY_LIMITS,
  BLUESKY_VIDEO_ALT_GRAPHEMES,
  BLUESKY_VIDEO_BYTES,
  cutToGraphemes,
  mediaForBluesky,
} from "./limits";
import { type MediaDownload, type ShrinkImage, shrinkImage as shrinkInBrowser } from "./media";
import { facetsOf } from "./richtext";
import { jwtExpiresAt, refreshBlueskySession } from "./session";
import { postKeyFor } from "./tid";
import { createXrpcClient, httpsOrigin, readAnswer, XRPC_TIMEOUT_MS, type XrpcRequest } from "./xrpc";

export interface BlueskyDeps {
  /** Reaches the account's PDS only while the user lets us (withOriginAccess). */
  fetch: typeof fetch;
  /** Instagram's copy of a photo or video: Bluesky takes the bytes, never a URL. */
  download: MediaDownload;
  /** Makes a photo over Bluesky's 1 MB smaller; the browser's canvas unless a test passes its own. */
  shrinkImage?: ShrinkImage;
}

export const POST_COLLECTION = "app.bsky.feed.post";

/** The access JWT is renewed this long before it runs out, so no call meets it expiring. */
const RENEW_BEFORE_MS = 60_000;
/**
 * An upload may take longer than a call: 15 s, and 1 s more for every 250 kB (2 Mbit/s), but
 * under the 30 s after which Chrome ends an MV3 worker whose fetch has no answer yet: past that,
 * a clear timeout is better than a worker gone mid-upload.
 */
const UPLOAD_BYTES_PER_MS = 250;
const UPLOAD_TIMEOUT_MAX_MS = 28_000;

const cid = z.string().check(z.regex(/^b[a-z2-7]{20,200}$/));
const blobRef = z.object({
  $type: z.literal("blob"),
  ref: z.object({ $link: cid }),
  mimeType: z.string().check(z.minLength(3), z.maxLength(255)),
  size: z.number().check(z.int(), z.minimum(0)),
});
type BlobRef = z.infer<typeof blobRef>;
const uploadAnswer = z.object({ blob: blobRef });
const createAnswer = z.object({
  uri: z.string().check(z.regex(/^at:\/\/did:[^/]+\/app\.bsky\.feed\.post\/[^/]+$/)),
  cid,
});
const recordAnswer = z.object({ uri: z.string(), value: z.object({ $type: z.literal(POST_COLLECTION) }) });

type Call = (request: Omit<XrpcRequest, "origin" | "token">) => Promise<unknown>;

/** The post's page on bsky.app, by the account's DID (which a handle change leaves as it is). */
export function blueskyPostUrl(did: string, rkey: string): string {
  return `https://bsky.app/profile/${did}/post/${rkey}`;
}

/**
 * Bluesky, through the account's PDS, signed in with an app password's session. Each post's record
 * key is derived from its job (postKeyFor), and a PDS keeps one record per key: a retry can never
 * post twice, and whether an earlier attempt posted is one getRecord away.
 */
export function createBlueskyDestination(deps: BlueskyDeps): Destination {
  const client = createXrpcClient(deps.fetch);
  const shrink = deps.shrinkImage ?? shrinkInBrowser;

  async function send(attempt: Attempt): Promise<AttemptOutcome> {
    const { job, account } = attempt;
    // Bluesky has no follow-up to make once the post is out.
    if (job.result) return posted(job.result);
    if (job.post.kind === "story") {
      throw new NotShareableError(
        "Bluesky has no stories, so alsoshare shares posts and reels there, not stories. Nothing was sent to Bluesky.",
      );
    }
    const media = mediaForBluesky(job.post.kind, job.message, job.post.media);
    const { origin, did } = homeOf(account);
    const call = signedIn(attempt, origin);
    const rkey = postKeyFor(job);
    let embed: Record<string, unknown>;
    if (media.video) {
      const video = await uploadVideo(call, media.video);
      await attempt.prepared({ videoId: video.ref.$link });
      embed = {
        $type: "app.bsky.embed.video",
        video,
        ...(media.video.alt && { alt: cutToGraphemes(media.video.alt, BLUESKY_VIDEO_ALT_GRAPHEMES) }),
        ...aspectRatioOf(media.video),
      };
    } else {
      const images = [];
      // One photo after the other, so one downloaded file at most is held at a time.
      for (const item of media.images) {
        images.push({ image: await uploadPhoto(call, item), alt: item.alt ?? "", ...aspectRatioOf(item) });
      }
      await attempt.prepared({ photoIds: images.map((image) => image.image.ref.$link) });
      embed = { $type: "app.bsky.embed.images", images };
    }
    const facets = facetsOf(job.message);
    const record = {
      $type: POST_COLLECTION,
      text: job.message,
      ...(facets.length > 0 && { facets }),
      createdAt: new Date(attempt.now()).toISOString(),
      embed,
    };
    const result = await createPost(call, { origin, did, rkey, record });
    if (media.leftOut) {
      await attempt.log(
        `${account.name}: shared your carousel to Bluesky without ${media.leftOut}, because a Bluesky post holds up to 4 photos or one video, not both.`,
      );
    }
    return posted(result);
  }

  /**
   * The post's record, at its own key. A PDS answers a key already taken with a plain 500 (its
   * repository refuses a second record there), which says nothing on its own: so after any 5xx the
   * key is looked at, and a post there is this job's, made now or by an earlier attempt.
   */
  async function createPost(
    call: Call,
    post: { origin: string; did: string; rkey: string; record: Record<string, unknown> },
  ): Promise<PostResult> {
    const { origin, did, rkey, record } = post;
    let answer: unknown;
    try {
      answer = await call({
        method: "POST",
        nsid: "com.atproto.repo.createRecord",
        json: { repo: did, collection: POST_COLLECTION, rkey, record },
      });
    } catch (error) {
      const answered5xx = error instanceof BlueskyError && (error.details.status ?? 0) >= 500;
      if (answered5xx || (error instanceof BlueskyError && error.kind === "duplicate")) {
        const found = await findPost(origin, did, rkey).catch(() => undefined);
        if (found) return found;
      }
      throw error;
    }
    const made = readAnswer(createAnswer, answer, "the new post", "retry");
    const madeKey = made.uri.slice(made.uri.lastIndexOf("/") + 1);
    return { postId: made.uri, url: blueskyPostUrl(did, madeKey) };
  }

  /** The post at the job's key, if there is one; getRecord needs no sign-in. */
  async function findPost(origin: string, did: string, rkey: string): Promise<PostResult | undefined> {
    let answer: unknown;
    try {
      answer = await client.call({
        origin,
        method: "GET",
        nsid: "com.atproto.repo.getRecord",
        params: { repo: did, collection: POST_COLLECTION, rkey },
      });
    } catch (error) {
      if (error instanceof BlueskyError && error.recordNotFound) return undefined;
      throw error;
    }
    const found = readAnswer(recordAnswer, answer, "looking for the post", "retry");
    return { postId: found.uri, url: blueskyPostUrl(did, rkey) };
  }

  /** A photo as a blob on the PDS, made smaller first when it is over Bluesky's 1 MB. */
  async function uploadPhoto(call: Call, item: MediaItem): Promise<BlobRef> {
    let photo = await downloaded(item);
    if (photo.size > BLUESKY_IMAGE_BYTES) {
      const smaller = await shrink(photo, BLUESKY_IMAGE_BYTES).catch(() => undefined);
      if (!smaller || smaller.size > BLUESKY_IMAGE_BYTES) {
        throw new NotShareableError(
          `A photo of this post is larger than the ${BLUESKY_IMAGE_BYTES / 1_000_000} MB Bluesky takes, and alsoshare could not make it smaller, so nothing was sent to Bluesky.`,
        );
      }
      photo = smaller;
    }
    return uploadBlob(call, photo, "photo");
  }

  async function uploadVideo(call: Call, item: MediaItem): Promise<BlobRef> {
    const video = await downloaded(item);
    if (video.size > BLUESKY_VIDEO_BYTES) {
      throw new NotShareableError(
        `Bluesky takes videos of up to ${BLUESKY_VIDEO_BYTES / 1_000_000} MB; this one is ${megabytes(video.size)}, so nothing was sent to Bluesky.`,
      );
    }
    // The post lexicon takes MP4 only, which is what Instagram serves; the type goes with the bytes.
    return uploadBlob(
      call,
      video.type === "video/mp4" ? video : video.slice(0, video.size, "video/mp4"),
      "video",
    );
  }

  async function uploadBlob(call: Call, bytes: Blob, what: "photo" | "video"): Promise<BlobRef> {
    let answer: unknown;
    try {
      answer = await call({
        method: "POST",
        nsid: "com.atproto.repo.uploadBlob",
        blob: bytes,
        timeoutMs: Math.min(UPLOAD_TIMEOUT_MAX_MS, XRPC_TIMEOUT_MS + bytes.size / UPLOAD_BYTES_PER_MS),
      });
    } catch (error) {
      if (error instanceof BlueskyError && isTooLarge(error)) {
        throw new BlueskyError(
          "invalid",
          `the ${what} (${megabytes(bytes.size)}) is larger than your Bluesky server takes.`,
          error.details,
        );
      }
      throw error;
    }
    return readAnswer(uploadAnswer, answer, `the ${what} upload`, "retry").blob;
  }

  /** Instagram's file, or why it could not be had; nothing has reached Bluesky yet. */
  async function downloaded(item: MediaItem): Promise<Blob> {
    const what = item.type === "image" ? "photo" : "video";
    try {
      return await deps.download(item.url);
    } catch (error) {
      const why = (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
      const unreachable = error instanceof ShareError && error.kind === "media-unreachable";
      throw new BlueskyError(
        unreachable ? "media-unreachable" : "transient",
        `alsoshare could not download the ${what} from Instagram to send it to Bluesky (${why}).`,
        {
          outcomeUnknown: false,
          networkError: error instanceof ShareError && error.details.networkError === true,
        },
      );
    }
  }

  /**
   * Calls with the account's access JWT, renewed once when it has run out (before the call, when
   * its own expiry says so, or after Bluesky answered ExpiredToken), and stored through the
   * attempt: refreshing spends the refresh JWT, so the new one must be kept.
   */
  function signedIn(attempt: Attempt, origin: string): Call {
    let token = attempt.account.token ?? "";
    let refreshToken = attempt.account.home?.refreshToken;
    let renewed = false;
    const renew = async () => {
      renewed = true;
      if (!refreshToken) {
        throw new BlueskyError(
          "auth",
          `${attempt.account.name}'s Bluesky sign-in ran out and cannot be renewed. Link the account again.`,
        );
      }
      const fresh = await refreshBlueskySession(client, origin, refreshToken);
      await attempt.renewedSignIn({
        token: fresh.accessJwt,
        refreshToken: fresh.refreshJwt,
        ...(fresh.signInExpiresAt !== undefined && { tokenExpiresAt: fresh.signInExpiresAt }),
      });
      token = fresh.accessJwt;
      refreshToken = fresh.refreshJwt;
    };
    return async (request) => {
      const expiresAt = jwtExpiresAt(token);
      if (!renewed && expiresAt !== undefined && expiresAt - RENEW_BEFORE_MS <= attempt.now()) await renew();
      try {
        return await client.call({ ...request, origin, token });
      } catch (error) {
        if (renewed || !(error instanceof BlueskyError && error.expiredToken)) throw error;
        await renew();
        return client.call({ ...request, origin, token });
      }
    };
  }

  async function findEarlier(attempt: Attempt): Promise<EarlierAttempt> {
    const { origin, did } = homeOf(attempt.account);
    const found = await findPost(origin, did, postKeyFor(attempt.job));
    // No record at the job's key: nothing of ours is out, and none can be made beside it later.
    return found ? posted(found) : "nothing-out";
  }

  return {
    service: "bluesky",
    signIn: "token",
    limits: () => BLUESKY_LIMITS,
    send,
    findEarlier,
    words: {
      permission: (name, says) =>
        `Bluesky did not let ${name} publish this: ${says} Check that the app password is still listed in Bluesky (Settings › Privacy and security › App passwords), link the account again, then press Retry.`,
      unconfirmed: (job, name) =>
        `Bluesky did not answer, and alsoshare cannot tell whether this ${job.post.kind === "reel" || job.post.kind === "video" ? job.post.kind : "post"} reached ${name}. Check the profile on Bluesky: if it is there, choose “It's there”; if not, press Retry to post it.`,
    },
  };
}

/** Where the account lives and who it is there, as linking stored it. */
function homeOf(account: AccountRecord): { origin: string; did: string } {
  const origin = account.home ? httpsOrigin(account.home.origin) : undefined;
  const did = account.home?.userId;
  if (!origin || !did?.startsWith("did:")) {
    throw new BlueskyError("auth", `${account.name} was linked without its Bluesky server. Link it again.`);
  }
  return { origin, did };
}

function aspectRatioOf(item: MediaItem): { aspectRatio?: { width: number; height: number } } {
  return item.width && item.height ? { aspectRatio: { width: item.width, height: item.height } } : {};
}

/** Rounded up, so a file just over a limit never reads as the limit itself. */
function megabytes(bytes: number): string {
  return `${(Math.ceil(bytes / 100_000) / 10).toFixed(1)} MB`;
}
