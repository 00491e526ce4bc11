import * as z from "zod/mini";
import { appIdSchema, appSecretSchema } from "../facebook/oauth";
import { instagramSharedToSchema, publishedPostSchema } from "../instagram/post";
import { settingsPatchSchema } from "../settings/schema";
import { tumblrAppKeySchema } from "../tumblr/oauth";

export { IMPORT_MAX_BYTES } from "../data/transfer";

/**
 * Every message the background answers: its payload schema and who may send it.
 * `instagram` = our composer content script in a top frame of www.instagram.com;
 * `extension` = our own pages (popup, options). Nothing here fetches an arbitrary URL or runs code.
 */
const accountId = z.string().check(z.minLength(1), z.maxLength(100));
const jobId = z.string().check(z.minLength(3), z.maxLength(200));
const empty = z.strictObject({});
const mediaPk = z.string().check(z.regex(/^\d{1,30}$/));
const graphNodeId = z.string().check(z.regex(/^\d{1,30}$/));
/** When a share should reach Facebook: "now", or a time (epoch ms); absent: the default delay. */
const shareTime = z.union([z.literal("now"), z.int().check(z.positive())]);
const pastedToken = z.string().check(z.minLength(10), z.maxLength(2048), z.regex(/^[\w.|-]+$/));
/** As far back as one read of an account's posts goes: Graph's list is followed four pages of 25 deep. */
export const MAX_RECENT_POSTS = 100;

export const requests = {
  "composer.context": { from: "instagram", payload: empty },
  "share.request": {
    from: "instagram",
    payload: z.strictObject({
      post: publishedPostSchema,
      targets: z.array(accountId).check(z.minLength(1), z.maxLength(50)),
      /** The Facebook text the user saw (and maybe edited) in the composer. */
      message: z.string().check(z.maxLength(100_000)),
      /** Where Instagram itself cross-posted this post, as the page reported it: never shared there again. */
      instagramSharedTo: z.optional(instagramSharedToSchema),
      when: z.optional(shareTime),
      /** This page load, as our content script named it when it started (Firefox gives no documentId). */
      loadId: z.optional(z.string().check(z.regex(/^[0-9a-f-]{36}$/))),
    }),
  },
  /**
   * What our MAIN-world observer reported of a publish, and what Instagram's media/info answered the
   * tab: page data, read here with the post's schema (readPublish, readMediaInfo) so the script in
   * every Instagram page ships no zod; the answer is null where the content script checked before.
   */
  "instagram.readPublish": { from: "instagram", payload: z.strictObject({ summary: z.unknown() }) },
  "instagram.readMedia": { from: "instagram", payload: z.strictObject({ answer: z.unknown() }) },
  /** The user published this post with the switch off: posts made anywhere never share it either. */
  "share.declined": { from: "instagram", payload: z.strictObject({ pk: mediaPk }) },
  /** Retry the failed shares of one post, from the in-page status line. */
  "share.retry": { from: "instagram", payload: z.strictObject({ pk: mediaPk }) },
  /** The shares made of one post so far, for its post page's inline button. */
  "share.status": { from: "instagram", payload: z.strictObject({ pk: mediaPk }) },
  "composer.unrecognized": {
    from: "instagram",
    payload: z.strictObject({ reason: z.string().check(z.maxLength(200)) }),
  },
  "accounts.list": { from: "extension", payload: empty },
  "accounts.linkToken": { from: "extension", payload: z.strictObject({ token: pastedToken }) },
  /** The wizard's check of a pasted token: a Page token or not, which Page, permissions, expiry. */
  "accounts.checkToken": { from: "extension", payload: z.strictObject({ token: pastedToken }) },
  "accounts.unlink": {
    from: "extension",
    payload: z.strictObject({ id: accountId, queuedJobs: z.enum(["cancel", "keep"]) }),
  },
  /** The user's Meta app (the secret is never sent back) and this browser's OAuth redirect URL. */
  "accounts.app": { from: "extension", payload: empty },
  /** `appSecret`: a string sets it, null removes it, absent keeps it. */
  "accounts.setApp": {
    from: "extension",
    payload: z.strictObject({ appId: appIdSchema, appSecret: z.optional(z.nullable(appSecretSchema)) }),
  },
  /** Runs Facebook Login in the background and answers the Pages found, to pick from. */
  "accounts.connect": { from: "extension", payload: empty },
  /**
   * The wizard's test sign-in: Facebook Login, then the permissions granted and the Pages found,
   * answered as a report; the Pages are held for picking only when posting would work.
   */
  "accounts.checkSignIn": { from: "extension", payload: empty },
  "accounts.linkPages": {
    from: "extension",
    payload: z.strictObject({
      connectionId: z.string().check(z.regex(/^[0-9a-f]{32}$/)),
      pageIds: z.array(z.string().check(z.regex(/^\d{1,30}$/))).check(z.minLength(1), z.maxLength(50)),
    }),
  },
  "accounts.linkProfile": { from: "extension", payload: empty },
  /**
   * Signs in to Bluesky with an app password (never the account's own password) and links the
   * account; the password is used once and not kept. `server`: a self-hosted PDS, else bsky.social.
   */
  "accounts.linkBluesky": {
    from: "extension",
    payload: z.strictObject({
      identifier: z.string().check(z.minLength(1), z.maxLength(253)),
      appPassword: z.string().check(z.minLength(1), z.maxLength(100)),
      server: z.optional(z.string().check(z.maxLength(300))),
    }),
  },
  /** Registers alsoshare on the named Mastodon instance, signs in there, and links the account. */
  "accounts.connectMastodon": {
    from: "extension",
    payload: z.strictObject({ instance: z.string().check(z.minLength(1), z.maxLength(300)) }),
  },
  /** The user's Threads app (the Threads use case's own app id; the secret is never sent back). */
  "accounts.threadsApp": { from: "extension", payload: empty },
  "accounts.setThreadsApp": {
    from: "extension",
    payload: z.strictObject({ appId: appIdSchema, appSecret: z.optional(z.nullable(appSecretSchema)) }),
  },
  /** Threads' sign-in with the user's Threads app, then the account linked. */
  "accounts.connectThreads": { from: "extension", payload: empty },
  /** The user's Tumblr app (its OAuth consumer key; the secret is never sent back). */
  "accounts.tumblrApp": { from: "extension", payload: empty },
  "accounts.setTumblrApp": {
    from: "extension",
    payload: z.strictObject({ key: tumblrAppKeySchema, secret: z.optional(z.nullable(tumblrAppKeySchema)) }),
  },
  /** Tumblr's sign-in with the user's Tumblr app, then the blog linked: the one named, else the primary. */
  "accounts.connectTumblr": {
    from: "extension",
    payload: z.strictObject({ blog: z.optional(z.string().check(z.maxLength(100))) }),
  },
  "settings.get": { from: "extension", payload: empty },
  /** Only the settings named in the patch change; the rest stay as stored, whoever wrote them. */
  "settings.update": { from: "extension", payload: z.strictObject({ patch: settingsPatchSchema }) },
  "jobs.list": {
    from: "extension",
    payload: z.strictObject({
      limit: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
      createdBefore: z.optional(z.number()),
    }),
  },
  "jobs.retry": { from: "extension", payload: z.strictObject({ id: jobId }) },
  "jobs.retryFailed": { from: "extension", payload: empty },
  /** "It's there": the user found on the Page the post Facebook never confirmed; the share is done. */
  "jobs.confirmShared": { from: "extension", payload: z.strictObject({ id: jobId }) },
  "jobs.cancel": { from: "extension", payload: z.strictObject({ id: jobId }) },
  "events.list": { from: "extension", payload: empty },
  /** The popup's first paint in one small read: accounts, settings and the newest shares. */
  "popup.state": {
    from: "extension",
    payload: z.strictObject({ limit: z.number().check(z.int(), z.minimum(1), z.maximum(100)) }),
  },
  /** Tokens go into an export only when the user ticks "include access tokens". */
  "data.export": { from: "extension", payload: z.strictObject({ includeTokens: z.boolean() }) },
  /** The file's text; the background checks it fully (size included) before writing anything. */
  "data.import": {
    from: "extension",
    payload: z.strictObject({ text: z.string().check(z.maxLength(8_000_000)) }),
  },
  "data.clear": { from: "extension", payload: z.strictObject({ confirm: z.literal("delete everything") }) },
  "data.diagnostics": { from: "extension", payload: empty },
  /**
   * The newest `count` posts of each Instagram account linked to the user's Pages, read from
   * Instagram's API; with `instagramId`, of that account only ("Show older posts" asks for more).
   */
  "instagram.recent": {
    from: "extension",
    payload: z.strictObject({
      count: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_RECENT_POSTS)),
      instagramId: z.optional(graphNodeId),
    }),
  },
  /**
   * Share a post made earlier: the background reads the post from Instagram's API itself, by its
   * id, and never takes the page's copy of it; `message` is the Facebook text the user saw.
   */
  /** Look for posts made anywhere now, rather than at the next alarm. */
  "newPosts.look": { from: "extension", payload: empty },
  "instagram.sharePast": {
    from: "extension",
    payload: z.strictObject({
      instagramId: graphNodeId,
      igMediaId: graphNodeId,
      pageIds: z.array(graphNodeId).check(z.minLength(1), z.maxLength(50)),
      message: z.string().check(z.maxLength(100_000)),
      when: z.optional(shareTime),
    }),
  },
} as const;

export type RequestType = keyof typeof requests;
export type RequestPayload<T extends RequestType> = z.infer<(typeof requests)[T]["payload"]>;

export const envelopeSchema = z.object({ type: z.string().check(z.maxLength(64)), payload: z.unknown() });

export type Reply<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };
export type ErrorCode = "forbidden" | "bad-request" | "not-found" | "failed";

export class MessageError extends Error {
  override readonly name = "MessageError";
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
