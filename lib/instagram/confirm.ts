import type { MediaReading } from "./media-info";
import type { PublishedPost } from "./post";

/** The app id Instagram's own web client sends; media/info answers nothing without it. */
const INSTAGRAM_WEB_APP_ID = "936619743392459";
/** A post just published can take a few seconds to be readable: look again after each of these. */
export const CONFIRM_LOOK_AGAIN_MS = [1_000, 2_000, 4_000, 8_000];
const REQUEST_TIMEOUT_MS = 10_000;
/** Room for a post taken between the press and the first look, beyond the time that passed. */
const FRESH_SLACK_MS = 2 * 60_000;

export type Confirmation =
  | { confirmed: true; post: PublishedPost }
  | {
      confirmed: false;
      /**
       * - not-found: Instagram has no such post, or not yet (also what a forged id gets);
       * - not-yours: it belongs to someone else, or the signed-in user changed;
       * - not-new: it was published before the user pressed Share;
       * - unreachable: Instagram did not answer;
       * - unreadable: it answered something we cannot read.
       */
      reason: "not-found" | "not-yours" | "not-new" | "unreachable" | "unreadable";
    };

export interface ConfirmDeps {
  /** Our own world's fetch, never the page's: the answer must come from Instagram itself. */
  fetch: typeof fetch;
  origin: string;
  now(): number;
  wait(ms: number): Promise<void>;
  /** The signed-in user's numeric id, or undefined when it cannot be trusted. */
  signedInUser(): string | undefined;
  /** The background's reading of an answer (readMediaInfo): zod runs there, not in every Instagram page. */
  readMedia(answer: unknown): Promise<MediaReading | null>;
}

/**
 * Asks Instagram, with the user's own session, whether the post the page announced really exists,
 * is the signed-in user's own, and was published after `pressedAt` (the user's press of Share).
 * What is shared comes from this answer, never from the page.
 */
export async function confirmWithInstagram(
  pk: string,
  pressedAt: number,
  deps: ConfirmDeps,
): Promise<Confirmation> {
  let reason: Unconfirmed = "not-found";
  for (const delay of [0, ...CONFIRM_LOOK_AGAIN_MS]) {
    if (delay > 0) await deps.wait(delay);
    const look = await lookUp(pk, deps);
    if ("reason" in look) {
      if (look.reason === "unreadable") return { confirmed: false, reason: look.reason };
      reason = look.reason;
      continue;
    }
    const own = await ownPostOf(pk, look.answer, deps);
    if (!own.confirmed) return own;
    const sincePress = Math.max(0, deps.now() - pressedAt);
    if (own.takenAt < look.instagramNow - sincePress - FRESH_SLACK_MS) {
      return { confirmed: false, reason: "not-new" };
    }
    return { confirmed: true, post: own.post };
  }
  return { confirmed: false, reason };
}

/**
 * Asks Instagram, once, whether the post a post page's URL names exists and is the signed-in
 * user's own: the inline button's proof. An old post is fine here; what is shared is Instagram's answer.
 */
export async function readOwnPost(pk: string, deps: ConfirmDeps): Promise<Confirmation> {
  const look = await lookUp(pk, deps);
  if ("reason" in look) return { confirmed: false, reason: look.reason };
  const own = await ownPostOf(pk, look.answer, deps);
  return own.confirmed ? { confirmed: true, post: own.post } : own;
}

type Unconfirmed = Extract<Confirmation, { confirmed: false }>["reason"];

/** One media/info request: Instagram's answer and its clock, or why there is none. */
async function lookUp(
  pk: string,
  deps: ConfirmDeps,
): Promise<
  { answer: unknown; instagramNow: number } | { reason: "not-found" | "unreachable" | "unreadable" }
> {
  let response: Response;
  try {
    response = await deps.fetch(`${deps.origin}/api/v1/media/${pk}/info/`, {
      credentials: "include",
      headers: { "X-IG-App-ID": INSTAGRAM_WEB_APP_ID },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    return { reason: "unreachable" };
  }
  if (response.status === 400 || response.status === 404) return { reason: "not-found" };
  if (response.status === 429 || response.status >= 500) return { reason: "unreachable" };
  if (!response.ok) return { reason: "unreadable" };
  return { answer: await readJson(response), instagramNow: serverTime(response) ?? deps.now() };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    // Text, then our own parse: in Firefox the answer's objects would otherwise belong to the page.
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

// Instagram's own clock, so a wrong clock on this computer cannot make an old post look new.
function serverTime(response: Response): number | undefined {
  const date = Date.parse(response.headers.get("date") ?? "");
  return Number.isNaN(date) ? undefined : date;
}

/** The post in Instagram's answer, if it is the one asked for and the signed-in user's own. */
async function ownPostOf(
  pk: string,
  answer: unknown,
  deps: ConfirmDeps,
): Promise<
  { confirmed: true; post: PublishedPost; takenAt: number } | { confirmed: false; reason: Unconfirmed }
> {
  const media = await deps.readMedia(answer);
  if (!media || media.pk !== pk) return { confirmed: false, reason: "unreadable" };
  const user = deps.signedInUser();
  if (user === undefined || media.owner !== user) return { confirmed: false, reason: "not-yours" };
  return media.post
    ? { confirmed: true, post: media.post, takenAt: media.takenAt }
    : { confirmed: false, reason: "unreadable" };
}

/** The signed-in user's numeric id, from Instagram's `ds_user_id` cookie. */
export function signedInUserOf(doc: Document): string | undefined {
  const id = /(?:^|;\s*)ds_user_id=(\d{1,30})(?:;|$)/.exec(doc.cookie)?.[1];
  return id;
}
