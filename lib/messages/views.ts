import * as z from "zod/mini";
import type { Diagnostics } from "../data/diagnostics";
import type { AccountRecord, EventRecord, EventType, JobRecord } from "../db/schema";
import { serviceName } from "../destinations/services";
import type { SignInFailure } from "../facebook/oauth";
import type { MediaReading } from "../instagram/media-info";
import { type ObservedPublish, postKindSchema } from "../instagram/post";
import type { Settings, SettingsPatch } from "../settings/schema";
import type { PermissionCheck, TokenCheckView } from "./link-checks";

export type { Diagnostics, Settings, SettingsPatch };

/**
 * What other contexts see of our records. Built by picking fields, never by dropping them, so a
 * token added to a record later cannot leak out through a view. The views that are pushed have a
 * schema, because their receivers parse them; the builders below keep each schema in step with
 * its record (a state or kind the schema lacks does not compile).
 */
export const accountViewSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(["page", "profile", "bluesky", "mastodon", "threads", "tumblr"]),
  name: z.string(),
  /** The account's handle on a service other than Facebook (`@name.bsky.social`). */
  handle: z.optional(z.string()),
  /** The longest text the account's service takes, when it is short (Bluesky's 300). */
  textLimit: z.optional(z.number()),
  pictureUrl: z.optional(z.string()),
  status: z.enum(["ok", "needs-signin"]),
  tokenExpiresAt: z.optional(z.number()),
  /** Which Instagram account the Page is linked to, as read at link time; absent: not known. */
  instagram: z.optional(
    z.union([
      z.strictObject({
        state: z.literal("linked"),
        id: z.string(),
        username: z.string(),
        pictureUrl: z.optional(z.string()),
      }),
      z.strictObject({ state: z.literal("none") }),
      z.strictObject({ state: z.literal("no-permission") }),
    ]),
  ),
});

export type AccountView = z.infer<typeof accountViewSchema>;

export function accountView(account: AccountRecord): AccountView {
  return {
    id: account.id,
    kind: account.kind,
    name: account.name,
    ...(account.home && { handle: account.home.handle, textLimit: account.home.textLimit }),
    pictureUrl: account.pictureUrl,
    status: account.status,
    tokenExpiresAt: account.tokenExpiresAt,
    ...(account.instagram && { instagram: instagramLinkView(account.instagram) }),
  };
}

function instagramLinkView(link: NonNullable<AccountRecord["instagram"]>): AccountView["instagram"] {
  if (link.state !== "linked") return { state: link.state };
  return { state: "linked", id: link.id, username: link.username, pictureUrl: link.pictureUrl };
}

/** Warn this many days before a known expiry. */
export const EXPIRY_WARNING_DAYS = 5;
const DAY_MS = 86_400_000;

export type TokenHealth =
  | { state: "ok" }
  | { state: "expires"; days: number; warn: boolean }
  | { state: "needs-signin" };

/** What the user should know about a link: fine, ending on a known day, or dead. */
export function tokenHealth(
  account: Pick<AccountView, "kind" | "status" | "tokenExpiresAt">,
  now: number,
): TokenHealth {
  if (account.kind === "profile") return { state: "ok" };
  if (account.status === "needs-signin") return { state: "needs-signin" };
  if (account.tokenExpiresAt === undefined) return { state: "ok" };
  const left = account.tokenExpiresAt - now;
  if (left <= 0) return { state: "needs-signin" };
  const days = Math.floor(left / DAY_MS);
  return { state: "expires", days, warn: days < EXPIRY_WARNING_DAYS };
}

/** The user's Meta app as our pages see it: whether a secret is stored, never the secret. */
export interface AppSetupView {
  appId?: string;
  hasSecret: boolean;
  /** This browser's `identity.getRedirectURL()`, to paste into the Meta app. */
  redirectUrl: string;
}

/** A Page found at sign-in, offered for linking: no token. */
export interface PageChoice {
  id: string;
  name: string;
  pictureUrl?: string;
  canPost: boolean;
  linked: boolean;
}

export interface ConnectionView {
  connectionId: string;
  pages: PageChoice[];
}

/** A Page found at the wizard's test sign-in, with whether the user's role may create content there. */
export interface CheckedPage extends PageChoice {
  canCreateContent: boolean;
}

/** The wizard's test sign-in, as the options page reports it step by step. */
export type SignInCheckView =
  /** Facebook Login did not end with a token; `message` is the sentence for the user. */
  | { outcome: "failed"; reason: SignInFailure; message: string }
  /** Facebook signed the user in to another Meta app than the saved App ID. */
  | { outcome: "other-app"; appId: string }
  | {
      outcome: "checked";
      permissions: PermissionCheck[];
      /** Absent when Facebook would not list the Pages (no pages_show_list). */
      pages?: CheckedPage[];
      /** Set when every required permission was granted: the Pages wait to be picked, as after connect. */
      connectionId?: string;
    };

export const jobViewSchema = z.strictObject({
  id: z.string(),
  state: z.enum(["queued", "sending", "shared", "failed", "needs-signin", "cancelled"]),
  kind: postKindSchema,
  targetId: z.string(),
  targetName: z.string(),
  /** The service the share goes to, by name ("Facebook", "Bluesky"). */
  service: z.string(),
  permalink: z.string(),
  thumbnailUrl: z.optional(z.string()),
  message: z.string(),
  postUrl: z.optional(z.string()),
  error: z.optional(z.string()),
  /** Failed without knowing whether it reached Facebook: the user looks, then Retry or "It's there". */
  awaitsCheck: z.optional(z.literal(true)),
  /** Shared as the user said after looking at the Page: Facebook gave no link. */
  checkedByUser: z.optional(z.literal(true)),
  /** Instagram's own cross-post reached this Page; alsoshare sent nothing. */
  sharedByInstagram: z.optional(z.literal(true)),
  /** The post's first comment, as the caption rules made it. */
  firstComment: z.optional(z.string()),
  /** When Facebook publishes it (epoch ms), for a share scheduled or waiting for its time. */
  scheduledFor: z.optional(z.number()),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export type JobView = z.infer<typeof jobViewSchema>;

export function jobView(job: JobRecord): JobView {
  return {
    id: job.id,
    state: job.state,
    kind: job.post.kind,
    targetId: job.targetId,
    targetName: job.targetName,
    service: serviceName(job.targetId),
    permalink: job.permalink,
    thumbnailUrl: job.post.media.find((item) => item.type === "image")?.url,
    message: job.message,
    postUrl: job.result?.url,
    error: job.lastError?.message,
    // The lifecycle lets a failed job be confirmed by the user only after this outcome.
    ...(job.state === "failed" && job.lastError?.kind === "unconfirmed" && { awaitsCheck: true }),
    ...(job.state === "shared" && job.checkedByUser && { checkedByUser: true }),
    ...(job.state === "shared" && job.sharedByInstagram && { sharedByInstagram: true }),
    ...(job.comment && { firstComment: job.comment.message }),
    ...scheduledFor(job),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** A share as the in-page status line shows it: where it went and how, nothing more. */
export const shareStatusViewSchema = z.strictObject({
  id: jobViewSchema.def.shape.id,
  state: jobViewSchema.def.shape.state,
  targetName: jobViewSchema.def.shape.targetName,
  postUrl: jobViewSchema.def.shape.postUrl,
  error: jobViewSchema.def.shape.error,
  sharedByInstagram: jobViewSchema.def.shape.sharedByInstagram,
  scheduledFor: jobViewSchema.def.shape.scheduledFor,
  service: jobViewSchema.def.shape.service,
});

export type ShareStatusView = z.infer<typeof shareStatusViewSchema>;

export function shareStatusView(job: JobRecord): ShareStatusView {
  return {
    id: job.id,
    state: job.state,
    targetName: job.targetName,
    postUrl: job.result?.url,
    error: job.lastError?.message,
    ...(job.sharedByInstagram && { sharedByInstagram: true }),
    ...scheduledFor(job),
    service: serviceName(job.targetId),
  };
}

/** A share for later, Facebook's to publish (shared) or still ours to send (queued). */
function scheduledFor(job: JobRecord): { scheduledFor?: number } {
  const waits = job.state === "shared" || job.state === "queued";
  return waits && job.publishAt !== undefined ? { scheduledFor: job.publishAt } : {};
}

/** One line of the activity log. */
export interface EventView {
  id?: number;
  at: number;
  type: EventType;
  message: string;
}

export function eventView(event: EventRecord): EventView {
  return { id: event.id, at: event.at, type: event.type, message: event.message };
}

/** What the composer needs to draw the switch: names and choices, no token. */
export interface ConsentedContext {
  consent: true;
  accounts: AccountView[];
  settings: Pick<Settings, "autoShare" | "caption"> & { delayMinutes: number };
  /** The targets the switch proposes for the next post. */
  proposedTargets: string[];
}

/** Without the user's consent the composer gets nothing to draw, and reads nothing. */
export type ComposerContext = ConsentedContext | { consent: false };

/** When the watch for posts made anywhere last looked, and what stopped it if something did. */
export interface NewPostsView {
  lastCheckedAt?: number;
  lastError?: string;
}

/** What the popup draws first. */
export interface PopupState {
  accounts: AccountView[];
  settings: Settings;
  jobs: JobView[];
  /** Present while posts made anywhere are watched for. */
  newPosts?: NewPostsView;
}

/** What a share request started: a job per target, those Instagram's own cross-post settled included. */
export interface ShareRequestAnswer {
  /** As the in-page status line shows them: no more of our data in Instagram's tab than that. */
  jobs: ShareStatusView[];
}

/** A post from Instagram's API, with the shares made of it so far (matched by its web pk). */
export interface PastPostView {
  /** The Graph API's id of the post, which the share request names. */
  igMediaId: string;
  /** The web pk its shortcode stands for, which the post's jobs are keyed by; absent if unreadable. */
  pk?: string;
  kind: z.infer<typeof postKindSchema>;
  caption: string;
  permalink?: string;
  /** When Instagram says it was posted (epoch ms); undefined if its time could not be read. */
  postedAt?: number;
  /** Instagram's own CDN URL, shown as is. */
  thumbnailUrl?: string;
  jobs: JobView[];
}

/** The newest posts of one Instagram account linked to the user's Pages. */
export interface InstagramPostsView {
  instagramId: string;
  username: string;
  posts: PastPostView[];
  /** Instagram has older posts than these, which a longer read would list. */
  hasOlder: boolean;
  /** Why the posts could not be read, in words the user can act on. */
  error?: string;
}

export interface Responses {
  "composer.context": ComposerContext;
  "share.request": ShareRequestAnswer;
  "share.retry": ShareStatusView[];
  "share.status": ShareStatusView[];
  "composer.unrecognized": null;
  "instagram.readPublish": ObservedPublish | null;
  "instagram.readMedia": MediaReading | null;
  "accounts.list": AccountView[];
  "accounts.linkToken": AccountView;
  "accounts.unlink": null;
  "accounts.app": AppSetupView;
  "accounts.setApp": AppSetupView;
  "accounts.connect": ConnectionView;
  "accounts.checkSignIn": SignInCheckView;
  "accounts.checkToken": TokenCheckView;
  "accounts.linkPages": AccountView[];
  "accounts.linkProfile": AccountView;
  "accounts.linkBluesky": AccountView;
  "accounts.connectMastodon": AccountView;
  "accounts.threadsApp": AppSetupView;
  "accounts.setThreadsApp": AppSetupView;
  "accounts.connectThreads": AccountView;
  "accounts.tumblrApp": AppSetupView;
  "accounts.setTumblrApp": AppSetupView;
  "accounts.connectTumblr": AccountView;
  "settings.get": Settings;
  "settings.update": Settings;
  "jobs.list": JobView[];
  "jobs.retry": JobView;
  "jobs.retryFailed": number;
  "jobs.confirmShared": JobView;
  "jobs.cancel": JobView;
  "events.list": EventView[];
  "popup.state": PopupState;
  "newPosts.look": NewPostsView;
  "share.declined": null;
  "data.export": { fileName: string; text: string };
  "data.import": { accounts: number };
  "data.clear": null;
  "data.diagnostics": Diagnostics;
  "instagram.recent": InstagramPostsView[];
  "instagram.sharePast": JobView[];
}
