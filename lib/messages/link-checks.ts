import { LOGIN_SCOPES, OPTIONAL_SCOPES } from "../facebook/oauth";

/*
 * The linking wizard's checks, as verdicts the pages word in the user's language: pure functions,
 * shared by the options page (the App ID, live as it is typed) and the background (sign-in, token).
 */

export type AppIdVerdict =
  | { state: "empty" }
  | { state: "ok"; digits: number }
  /** Digits, within what Meta's ids can be, but not the 15 or 16 digits today's App IDs have. */
  | { state: "unusual-length"; digits: number }
  /** Fewer than 5 or more than 20 digits: no App ID is that long; it cannot be saved. */
  | { state: "bad-length"; digits: number }
  /** 32 hexadecimal characters: the App Secret, pasted where the App ID goes. */
  | { state: "looks-like-secret" }
  | { state: "not-digits" };

/** Meta App IDs are decimal numbers; those made today have 15 or 16 digits, older ones fewer. */
export function appIdVerdict(text: string): AppIdVerdict {
  const value = text.trim();
  if (value === "") return { state: "empty" };
  if (/^[0-9a-f]{32}$/i.test(value) && /[a-f]/i.test(value)) return { state: "looks-like-secret" };
  if (!/^\d+$/.test(value)) return { state: "not-digits" };
  const digits = value.length;
  // The same bounds as appIdSchema, which the background holds a saved App ID to.
  if (digits < 5 || digits > 20) return { state: "bad-length", digits };
  if (digits < 15 || digits > 16) return { state: "unusual-length", digits };
  return { state: "ok", digits };
}

/** Whether the App ID can be saved as typed (an unusual length is only a warning). */
export function canSaveAppId(verdict: AppIdVerdict): boolean {
  return verdict.state === "ok" || verdict.state === "unusual-length";
}

export type Scope = (typeof LOGIN_SCOPES)[number] | (typeof OPTIONAL_SCOPES)[number];

/** What stops working without each permission alsoshare asks for (lib/facebook/oauth.ts). */
export const SCOPE_BLOCKS = {
  pages_show_list: "listing-pages",
  pages_manage_posts: "posting",
  // Graph's own (#200) answer: posting to a Page needs pages_read_engagement with pages_manage_posts;
  // reconciling a lost answer reads the Page's published posts with it too.
  pages_read_engagement: "posting-and-finding",
  publish_video: "reels",
  instagram_basic: "past-posts",
} as const satisfies Record<Scope, string>;

export type BlockedFeature = (typeof SCOPE_BLOCKS)[Scope];

export interface PermissionCheck {
  scope: Scope;
  /** `declined`: the user turned it down at sign-in; `missing`: not granted, for another reason. */
  state: "granted" | "declined" | "missing";
  /** Posting needs it; instagram_basic is optional. */
  required: boolean;
  blocks: BlockedFeature;
}

const REQUIRED: readonly Scope[] = LOGIN_SCOPES;
const ALL_SCOPES: readonly Scope[] = [...LOGIN_SCOPES, ...OPTIONAL_SCOPES];

/**
 * Each permission alsoshare asks for, as `GET /me/permissions` answered: granted, declined by the
 * user, or absent. `scopes` narrows the list (a pasted Page token lists no Pages, say).
 */
export function checkPermissions(
  answer: readonly { permission: string; status: string }[],
  scopes: readonly Scope[] = ALL_SCOPES,
): PermissionCheck[] {
  return scopes.map((scope) => {
    const status = answer.find((entry) => entry.permission === scope)?.status;
    const state = status === "granted" ? "granted" : status === "declined" ? "declined" : "missing";
    return { scope, state, required: REQUIRED.includes(scope), blocks: SCOPE_BLOCKS[scope] };
  });
}

/** Posting works only with every required permission granted. */
export function missingRequired(checks: readonly PermissionCheck[]): PermissionCheck[] {
  return checks.filter((check) => check.required && check.state !== "granted");
}

/** The permissions a pasted Page token is judged on: it lists no Pages, so pages_show_list is moot. */
export const PAGE_TOKEN_SCOPES: readonly Scope[] = ALL_SCOPES.filter((scope) => scope !== "pages_show_list");

/** What Facebook says of a pasted token (debug_token), and whose it is (`/me`). */
export interface TokenFacts {
  isValid: boolean;
  type?: string;
  scopes: string[];
  /** Unix seconds; 0 means never. */
  expiresAt?: number;
  invalidReason?: string;
  /** `/me` read with the token: the Page for a Page token, the person for a user token. */
  owner?: { id: string; name: string };
}

export type TokenCheckView =
  /** Facebook does not accept it: expired, revoked or copied wrong. */
  | { kind: "refused"; reason?: string }
  /** A person's token: it could not post as a Page. */
  | { kind: "user"; name: string }
  /** Another kind of token (an app token, say). */
  | { kind: "other"; type: string }
  | {
      kind: "page";
      pageId: string;
      pageName: string;
      permissions: PermissionCheck[];
      /** Epoch ms; absent: it does not expire. */
      expiresAt?: number;
    };

/** The verdict on a pasted token: a Page token (which Page, which permissions, until when) or why not. */
export function tokenVerdict(facts: TokenFacts): TokenCheckView {
  if (!facts.isValid) return { kind: "refused", ...(facts.invalidReason && { reason: facts.invalidReason }) };
  if (facts.type !== "USER" && facts.type !== "PAGE") return { kind: "other", type: facts.type ?? "unknown" };
  // Facebook described a token that `/me` then would not answer to: not one to link.
  if (!facts.owner) return { kind: "refused" };
  if (facts.type === "USER") return { kind: "user", name: facts.owner.name };
  const granted = facts.scopes.map((permission) => ({ permission, status: "granted" }));
  return {
    kind: "page",
    pageId: facts.owner.id,
    pageName: facts.owner.name,
    permissions: checkPermissions(granted, PAGE_TOKEN_SCOPES),
    ...(facts.expiresAt ? { expiresAt: facts.expiresAt * 1000 } : {}),
  };
}
