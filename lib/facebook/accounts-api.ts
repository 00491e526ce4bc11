import * as z from "zod/mini";
import { type GraphClient, readAnswer } from "./graph";

const graphId = z.string().check(z.regex(/^\d{1,30}$/));

const debugTokenAnswer = z.object({
  data: z.object({
    app_id: z.optional(z.string()),
    is_valid: z.boolean(),
    scopes: z.optional(z.array(z.string())),
    user_id: z.optional(z.string()),
    expires_at: z.optional(z.number()),
    /** USER, PAGE or APP (Graph may add others). */
    type: z.optional(z.string().check(z.maxLength(40))),
    error: z.optional(z.object({ message: z.optional(z.string().check(z.maxLength(500))) })),
  }),
});

const permissionsAnswer = z.object({
  data: z.array(
    z.object({
      permission: z.string().check(z.regex(/^[a-z_]{1,80}$/)),
      // "granted" or "declined"; Graph also says "expired" once the app's data access has lapsed.
      status: z.string().check(z.maxLength(40)),
    }),
  ),
});

const exchangeAnswer = z.object({
  access_token: z.string().check(z.regex(/^[\w.|-]{10,2048}$/)),
  expires_in: z.optional(z.number()),
});

const accountsAnswer = z.object({
  data: z.array(
    z.object({
      id: graphId,
      name: z.string().check(z.minLength(1), z.maxLength(200)),
      access_token: z.optional(z.string().check(z.regex(/^[\w.|-]{10,2048}$/))),
      tasks: z.optional(z.array(z.string())),
      picture: z.optional(z.object({ data: z.optional(z.object({ url: z.optional(z.string()) })) })),
    }),
  ),
  paging: z.optional(
    z.object({
      cursors: z.optional(z.object({ after: z.optional(z.string()) })),
      next: z.optional(z.string()),
    }),
  ),
});

export interface TokenInfo {
  appId?: string;
  isValid: boolean;
  scopes: string[];
  /** Whose token it is: "USER", "PAGE", "APP"…; undefined when Facebook did not say. */
  type?: string;
  /** Unix seconds; 0 means it never expires. */
  expiresAt?: number;
  /** Facebook's own reason for an invalid token ("Session has expired…"). */
  invalidReason?: string;
}

/**
 * What Facebook knows of a user token: valid, for which app, with which permissions. Asked with the
 * app token when there is a secret, else with the token itself (the app's own developer may).
 */
export async function debugToken(
  graph: GraphClient,
  request: { inputToken: string; accessToken: string },
): Promise<TokenInfo> {
  // Graph takes `input_token` only as a parameter; the request goes from the background to Graph
  // over HTTPS and the URL is never shown or logged.
  const answer = await graph.call({
    method: "GET",
    path: "/debug_token",
    token: request.accessToken,
    params: { input_token: request.inputToken },
  });
  const { data } = readAnswer(debugTokenAnswer, answer, "the sign-in check", "refuse");
  return {
    appId: data.app_id,
    isValid: data.is_valid,
    scopes: data.scopes ?? [],
    type: data.type,
    expiresAt: data.expires_at,
    invalidReason: data.error?.message,
  };
}

export interface PermissionAnswer {
  permission: string;
  status: string;
}

/**
 * What the user granted and declined at sign-in (`GET /me/permissions`): unlike debug_token's
 * scopes, it tells a permission the user turned down from one never asked.
 */
export async function readPermissions(graph: GraphClient, userToken: string): Promise<PermissionAnswer[]> {
  const answer = await graph.call({ method: "GET", path: "/me/permissions", token: userToken });
  return readAnswer(permissionsAnswer, answer, "the permissions you granted", "refuse").data;
}

/**
 * Trades a short-lived user token for a 60-day one (needs the app secret). Page tokens read with
 * the long-lived token do not expire.
 */
export async function exchangeForLongLivedToken(
  graph: GraphClient,
  request: { appId: string; appSecret: string; userToken: string },
): Promise<string> {
  const answer = await graph.call({
    method: "GET",
    path: "/oauth/access_token",
    token: request.userToken,
    params: {
      grant_type: "fb_exchange_token",
      client_id: request.appId,
      client_secret: request.appSecret,
      fb_exchange_token: request.userToken,
    },
  });
  return readAnswer(exchangeAnswer, answer, "the token exchange", "refuse").access_token;
}

export interface ManagedPage {
  id: string;
  name: string;
  pictureUrl?: string;
  token?: string;
  /** The user's role on the Page lets them post (`CREATE_CONTENT`), and Facebook gave a token. */
  canPost: boolean;
  /** The user's tasks on the Page include `CREATE_CONTENT` (a role that may post). */
  canCreateContent: boolean;
}

/** Enough rounds for 1,000 Pages; a Graph that keeps paging past that is not followed further. */
const MAX_ROUNDS = 10;

/** Every Page the user manages, following Graph's `after` cursor page by page. */
export async function listManagedPages(graph: GraphClient, userToken: string): Promise<ManagedPage[]> {
  const pages: ManagedPage[] = [];
  let after: string | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const answer = await graph.call({
      method: "GET",
      path: "/me/accounts",
      token: userToken,
      params: { fields: "id,name,access_token,tasks,picture", limit: 100, after },
    });
    const { data, paging } = readAnswer(accountsAnswer, answer, "the list of your Pages", "refuse");
    for (const entry of data) {
      if (pages.some((page) => page.id === entry.id)) continue;
      const canCreateContent = (entry.tasks ?? []).includes("CREATE_CONTENT");
      pages.push({
        id: entry.id,
        name: entry.name,
        pictureUrl: httpsUrl(entry.picture?.data?.url),
        token: entry.access_token,
        canPost: entry.access_token !== undefined && canCreateContent,
        canCreateContent,
      });
    }
    after = paging?.cursors?.after;
    if (!paging?.next || !after) break;
  }
  return pages;
}

function httpsUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).protocol === "https:" ? value : undefined;
  } catch {
    return undefined;
  }
}
