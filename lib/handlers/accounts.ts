import * as z from "zod/mini";
import { changeAccount, listAccounts } from "../db/accounts";
import { writeAppCredentialsRecord } from "../db/app-credentials";
import type { NewEvent } from "../db/events";
import type { AccountRecord, InstagramLinkRecord } from "../db/schema";
import { FACEBOOK_PROFILE_ID } from "../destinations/services";
import {
  debugToken,
  exchangeForLongLivedToken,
  listManagedPages,
  type ManagedPage,
  readPermissions,
  type TokenInfo,
} from "../facebook/accounts-api";
import { GraphError } from "../facebook/errors";
import { fetchLinkedInstagram } from "../facebook/instagram-api";
import {
  type AppCredentials,
  browserSignIn,
  LOGIN_SCOPES,
  type LoginResult,
  randomHex,
  SCOPE_PURPOSES,
  type SignInDeps,
  SignInError,
  signInWithFacebook,
} from "../facebook/oauth";
import { fetchIdentity } from "../facebook/pages";
import {
  checkPermissions,
  missingRequired,
  type TokenCheckView,
  tokenVerdict,
} from "../messages/link-checks";
import { MessageError } from "../messages/protocol";
import {
  type AccountView,
  type AppSetupView,
  accountView,
  type CheckedPage,
  type PageChoice,
} from "../messages/views";
import { transition } from "../queue/lifecycle";
import {
  applySettingsPatch,
  DEFAULT_SETTINGS,
  readSettings,
  type Settings,
  type SettingsPatch,
} from "../settings/schema";
import { loadAppCredentials } from "./app-credentials";
import type { HandlerDeps, HandlersFor } from "./deps";

export const PROFILE_ID = FACEBOOK_PROFILE_ID;
export const PROFILE_NAME = "Your Facebook profile";

/** Pages found at sign-in wait this long for the user to pick; then they sign in again. */
const PENDING_TTL_MS = 15 * 60_000;

const pendingSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  tokenExpiresAt: z.optional(z.number()),
  pages: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      pictureUrl: z.optional(z.string()),
      token: z.optional(z.string()),
      canPost: z.boolean(),
    }),
  ),
});

type Linkable = Pick<AccountRecord, "id" | "name" | "token" | "pictureUrl" | "tokenExpiresAt">;

/** Linking and unlinking the accounts posts go to: Facebook Login, pasted tokens, the profile. */
export function createAccountsHandlers(
  deps: HandlerDeps,
  signIn: SignInDeps = browserSignIn(),
): HandlersFor<
  | "accounts.list"
  | "accounts.linkToken"
  | "accounts.unlink"
  | "accounts.app"
  | "accounts.setApp"
  | "accounts.connect"
  | "accounts.checkSignIn"
  | "accounts.checkToken"
  | "accounts.linkPages"
  | "accounts.linkProfile"
> {
  async function appSetup(): Promise<AppSetupView> {
    const credentials = await loadAppCredentials();
    return {
      appId: credentials?.appId,
      hasSecret: credentials?.appSecret !== undefined,
      redirectUrl: signIn.redirectUrl(),
    };
  }

  /**
   * Stores a Page with its new token, in one transaction with its log entry and its paused shares:
   * linking again one that waits for sign-in (or whose shares were kept at unlink) sends them.
   */
  async function savePage(page: Linkable): Promise<AccountRecord> {
    const instagram = await instagramOf(page);
    const now = deps.now();
    const { account, resumed } = await changeAccount(page.id, ["needs-signin"], (scene) => {
      const existing = scene.account;
      const account: AccountRecord = {
        id: page.id,
        kind: "page",
        name: page.name,
        pictureUrl: page.pictureUrl ?? existing?.pictureUrl,
        token: page.token,
        tokenExpiresAt: page.tokenExpiresAt,
        status: "ok",
        linkedAt: existing?.linkedAt ?? now,
        ...("link" in instagram && { instagram: instagram.link }),
      };
      const resumed = scene.jobs.flatMap(
        (job) => transition(job, { type: "signed-in", targetName: account.name }, now) ?? [],
      );
      return {
        account,
        jobs: resumed,
        events: [
          existing
            ? { at: now, type: "relinked", message: `Signed in again to the Page ${page.name}.` }
            : { at: now, type: "linked", message: `Linked the Page ${page.name}.` },
          ...("failure" in instagram
            ? [{ at: now, type: "data" as const, message: `${page.name}: ${instagram.failure}` }]
            : []),
        ],
        answer: { account, resumed },
      };
    });
    for (const job of resumed) deps.onJobChanged(job);
    deps.onAccountsChanged();
    if (resumed.length > 0) void deps.queue.kick();
    return account;
  }

  /**
   * Which Instagram account the Page is linked to, read with its token before the Page is stored.
   * The Page links all the same when this cannot be read; the activity log says why.
   */
  async function instagramOf(page: Linkable): Promise<{ link: InstagramLinkRecord } | { failure: string }> {
    if (!page.token) return { failure: "no token to read its Instagram account with." };
    try {
      return { link: await fetchLinkedInstagram(deps.graph, { pageId: page.id, token: page.token }) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : "unknown error";
      return { failure: `could not read which Instagram account it is linked to (${reason}).` };
    }
  }

  /** Facebook Login, checked: our app, every permission we asked for. Nothing is stored here. */
  async function signInChecked(credentials: AppCredentials) {
    const login = await signInWithFacebook(signIn, credentials.appId, deps.now).catch((error: unknown) => {
      throw error instanceof SignInError ? new MessageError("failed", error.message) : error;
    });
    const info = await debugToken(deps.graph, {
      inputToken: login.userToken,
      accessToken: credentials.appSecret ? `${credentials.appId}|${credentials.appSecret}` : login.userToken,
    }).catch(graphFailure("check the sign-in"));
    if (!info.isValid) {
      throw new MessageError("failed", "Facebook says this sign-in is no longer valid. Connect again.");
    }
    if (info.appId !== undefined && info.appId !== credentials.appId) {
      throw new MessageError(
        "failed",
        "Facebook gave a sign-in for a different Meta app than the App ID saved here. Check the App ID and connect again.",
      );
    }
    const missing = LOGIN_SCOPES.filter((scope) => !info.scopes.includes(scope));
    if (missing.length > 0) {
      throw new MessageError(
        "failed",
        `Facebook did not grant ${missing.join(", ")}, which posting to your Pages needs (${missing.map((scope) => `${scope} ${SCOPE_PURPOSES[scope]}`).join("; ")}), so nothing was linked. Connect again and allow every permission asked.`,
      );
    }
    return login;
  }

  async function savedCredentials(): Promise<AppCredentials> {
    const credentials = await loadAppCredentials();
    if (!credentials) {
      throw new MessageError(
        "failed",
        "Enter your Meta app's App ID and save it before connecting Facebook.",
      );
    }
    return credentials;
  }

  /**
   * The Pages of a checked sign-in, held (in memory) for the user to pick: read with a 60-day token
   * when the App Secret is saved, so their Page tokens do not expire.
   */
  async function holdPages(credentials: AppCredentials, login: LoginResult) {
    let userToken = login.userToken;
    let tokenExpiresAt = login.expiresAt;
    if (credentials.appSecret) {
      userToken = await exchangeForLongLivedToken(deps.graph, {
        appId: credentials.appId,
        appSecret: credentials.appSecret,
        userToken,
      }).catch((error: unknown) => {
        if (error instanceof GraphError && error.details.status !== undefined) {
          throw new MessageError(
            "failed",
            "Facebook did not accept the App Secret, so nothing was linked. Copy it again from your Meta app (App settings › Basic), or remove it, and connect again.",
          );
        }
        throw graphFailure("keep your sign-in")(error);
      });
      // Page tokens read with a long-lived user token do not expire.
      tokenExpiresAt = undefined;
    }
    const pages = await listManagedPages(deps.graph, userToken).catch(graphFailure("list your Pages"));
    const connectionId = randomHex(signIn);
    await signIn.pending.save({ id: connectionId, createdAt: deps.now(), tokenExpiresAt, pages });
    return { connectionId, pages };
  }

  /** The Pages as the options page may see them: names and roles, no token. */
  async function checkedPages(pages: ManagedPage[]): Promise<CheckedPage[]> {
    const linked = await linkedIds();
    return pages.map((page) => ({ ...pageChoice(page, linked), canCreateContent: page.canCreateContent }));
  }

  /** A pasted token as Facebook describes it; a token may describe itself, so no app is needed. */
  async function checkPastedToken(token: string): Promise<TokenCheckView> {
    let info: TokenInfo;
    try {
      info = await debugToken(deps.graph, { inputToken: token, accessToken: token });
    } catch (error) {
      if (error instanceof GraphError && error.kind === "auth") return { kind: "refused" };
      throw tokenFailure(error);
    }
    const known = info.isValid && (info.type === "PAGE" || info.type === "USER");
    const owner = known
      ? await fetchIdentity(deps.graph, token).catch((error: unknown) => {
          throw tokenFailure(error);
        })
      : undefined;
    return tokenVerdict({ ...info, owner });
  }

  return {
    async "accounts.list"() {
      return (await listAccounts()).map(accountView);
    },

    async "accounts.linkToken"({ token }) {
      const check = await checkPastedToken(token);
      if (check.kind !== "page") throw new MessageError("failed", NOT_A_PAGE_TOKEN[check.kind]);
      return accountView(
        await savePage({ id: check.pageId, name: check.pageName, token, tokenExpiresAt: check.expiresAt }),
      );
    },

    async "accounts.checkToken"({ token }) {
      return checkPastedToken(token);
    },

    async "accounts.unlink"({ id, queuedJobs }) {
      const now = deps.now();
      const keep = queuedJobs === "keep";
      const { moved, settingsChanged } = await changeAccount(id, ["queued", "needs-signin"], (scene) => {
        const account = scene.account;
        if (!account) throw new MessageError("not-found", "That account is not linked.");
        const moved = scene.jobs.flatMap(
          (job) => transition(job, { type: "unlinked", keep, accountName: account.name }, now) ?? [],
        );
        const jobsNote =
          moved.length === 0
            ? ""
            : keep
              ? ` ${moved.length} waiting share(s) kept until it is linked again.`
              : ` ${moved.length} waiting share(s) cancelled.`;
        const events: NewEvent[] = [
          { at: now, type: "unlinked", message: `Unlinked ${account.name}.${jobsNote}` },
        ];
        // An unreadable settings record is kept as it is (and reported when read); the unlink goes ahead.
        const settings = readSettings(scene.settings);
        const nothingLeft = scene.others.length === 0;
        if (settings && nothingLeft && Object.values(settings.autoShare).some(Boolean)) {
          events.push({
            at: now,
            type: "data",
            message: "Automatic sharing turned off: no account is linked any more.",
          });
        }
        return {
          account: "delete",
          jobs: moved,
          settings: settings && applySettingsPatch(settings, settingsWithout(settings, id, nothingLeft)),
          events,
          answer: { moved, settingsChanged: settings !== undefined },
        };
      });
      for (const job of moved) deps.onJobChanged(job);
      deps.onAccountsChanged();
      if (settingsChanged) deps.onSettingsChanged();
      return null;
    },

    async "accounts.app"() {
      return appSetup();
    },

    async "accounts.setApp"({ appId, appSecret }) {
      const current = await loadAppCredentials();
      const secret =
        appSecret === null
          ? undefined
          : (appSecret ?? (current?.appId === appId ? current.appSecret : undefined));
      await writeAppCredentialsRecord({
        appId,
        ...(secret !== undefined && { appSecret: secret.toLowerCase() }),
      });
      return appSetup();
    },

    async "accounts.connect"() {
      const credentials = await savedCredentials();
      const login = await signInChecked(credentials);
      const { connectionId, pages } = await holdPages(credentials, login);
      const linked = await linkedIds();
      return { connectionId, pages: pages.map((page) => pageChoice(page, linked)) };
    },

    async "accounts.checkSignIn"() {
      const credentials = await savedCredentials();
      let login: LoginResult;
      try {
        login = await signInWithFacebook(signIn, credentials.appId, deps.now);
      } catch (error) {
        if (error instanceof SignInError)
          return { outcome: "failed", reason: error.reason, message: error.message };
        throw error;
      }
      const info = await debugToken(deps.graph, {
        inputToken: login.userToken,
        accessToken: credentials.appSecret
          ? `${credentials.appId}|${credentials.appSecret}`
          : login.userToken,
      }).catch((error: unknown) => {
        // The app token is made of the two: Facebook refusing it means they do not belong together.
        if (credentials.appSecret && error instanceof GraphError && error.kind === "auth") {
          throw new MessageError(
            "failed",
            "Facebook did not accept this App ID together with the App Secret saved here. Copy both again from your Meta app (App settings › Basic), save them and test again.",
          );
        }
        throw graphFailure("check the sign-in")(error);
      });
      if (!info.isValid) {
        throw new MessageError("failed", "Facebook says this sign-in is no longer valid. Connect again.");
      }
      if (info.appId !== undefined && info.appId !== credentials.appId) {
        return { outcome: "other-app", appId: info.appId };
      }
      const permissions = checkPermissions(
        await readPermissions(deps.graph, login.userToken).catch(
          graphFailure("read the permissions you granted"),
        ),
      );
      if (missingRequired(permissions).length === 0) {
        const { connectionId, pages } = await holdPages(credentials, login);
        return { outcome: "checked", permissions, pages: await checkedPages(pages), connectionId };
      }
      // Nothing is held for linking, but the Pages are still worth naming when Facebook lists them.
      await signIn.pending.clear();
      const canList = permissions.some(
        (check) => check.scope === "pages_show_list" && check.state === "granted",
      );
      if (!canList) return { outcome: "checked", permissions };
      const pages = await listManagedPages(deps.graph, login.userToken).catch(
        graphFailure("list your Pages"),
      );
      return { outcome: "checked", permissions, pages: await checkedPages(pages) };
    },

    async "accounts.linkPages"({ connectionId, pageIds }) {
      const pending = pendingSchema.safeParse(await signIn.pending.load());
      if (
        !pending.success ||
        pending.data.id !== connectionId ||
        deps.now() - pending.data.createdAt > PENDING_TTL_MS
      ) {
        throw new MessageError(
          "failed",
          "This Facebook sign-in has expired. Connect again to pick your Pages.",
        );
      }
      const { pages, tokenExpiresAt } = pending.data;
      // Every pick is checked before anything is stored: all of them are linked, or none.
      const picked = pageIds.map((id) => {
        const page = pages.find((candidate) => candidate.id === id);
        if (!page) throw new MessageError("failed", "That Page was not found at sign-in. Connect again.");
        if (!page.canPost || !page.token) {
          throw new MessageError(
            "failed",
            `Your role on ${page.name} does not allow posting, so it was not linked. Ask a Page admin for content access, then connect again.`,
          );
        }
        return { ...page, token: page.token };
      });
      const accounts: AccountView[] = [];
      for (const page of picked) accounts.push(accountView(await savePage({ ...page, tokenExpiresAt })));
      await signIn.pending.clear();
      return accounts;
    },

    async "accounts.linkProfile"() {
      const now = deps.now();
      const linked = await changeAccount(PROFILE_ID, [], (scene) => {
        if (scene.account) return { answer: scene.account };
        const account: AccountRecord = {
          id: PROFILE_ID,
          kind: "profile",
          name: PROFILE_NAME,
          status: "ok",
          linkedAt: now,
        };
        const message =
          "Linked your Facebook profile: shares to it open Facebook's share dialog with a link to your post.";
        return { account, events: [{ at: now, type: "linked", message }], answer: account };
      });
      deps.onAccountsChanged();
      return accountView(linked);
    },
  };
}

/** The settings once account `id` is gone: not a target any more; with nothing linked, auto-share all off. */
function settingsWithout(settings: Settings, id: string, nothingLeft: boolean): SettingsPatch {
  const stillLinked = (ids: string[]) => ids.filter((target) => target !== id);
  return {
    defaultTargets: stillLinked(settings.defaultTargets),
    lastTargets: stillLinked(settings.lastTargets),
    // With nothing linked, an automatic share would have nowhere to go.
    ...(nothingLeft && { autoShare: DEFAULT_SETTINGS.autoShare }),
  };
}

/** Why a pasted token was not linked, in the words the options page shows. */
const NOT_A_PAGE_TOKEN: Record<Exclude<TokenCheckView["kind"], "page">, string> = {
  refused:
    "Could not link the Page. Facebook does not accept this token. Copy a fresh Page access token and try again.",
  user: "This is a user access token, not a Page token, so nothing was linked. In Graph API Explorer, choose your Page under “User or Page”, then copy the token again.",
  other:
    "This is not a Page access token, so nothing was linked. Copy a Page access token from Graph API Explorer and try again.",
};

async function linkedIds(): Promise<Set<string>> {
  return new Set((await listAccounts()).map((account) => account.id));
}

function pageChoice(page: ManagedPage, linked: Set<string>): PageChoice {
  return {
    id: page.id,
    name: page.name,
    pictureUrl: page.pictureUrl,
    canPost: page.canPost,
    linked: linked.has(page.id),
  };
}

/** No answer from Facebook at all; a garbled answer (no status either) is not that. */
function unreachable(error: unknown): boolean {
  return error instanceof GraphError && error.details.status === undefined && error.kind !== "invalid";
}

/** A Graph failure while checking a pasted token, as a sentence; the token is never in it. */
function tokenFailure(error: unknown): MessageError {
  if (unreachable(error)) {
    return new MessageError(
      "failed",
      "Could not reach Facebook to check the token. Check your connection and try again.",
    );
  }
  const reason = error instanceof Error ? error.message : "unknown error";
  return new MessageError(
    "failed",
    `Could not check the token (${reason}). Copy a fresh Page access token and try again.`,
  );
}

/** A Graph failure during sign-in as the sentence the user sees; no token is ever in it. */
function graphFailure(what: string) {
  return (error: unknown): never => {
    if (error instanceof MessageError) throw error;
    if (error instanceof GraphError && error.kind === "auth") {
      throw new MessageError(
        "failed",
        `Facebook refused to ${what}: the sign-in is no longer valid. Connect again.`,
      );
    }
    if (error instanceof GraphError && error.kind === "permission") {
      throw new MessageError(
        "failed",
        `Facebook refused to ${what}: the sign-in lacks a permission. Connect again and allow every permission asked.`,
      );
    }
    if (unreachable(error)) {
      throw new MessageError(
        "failed",
        `Could not reach Facebook to ${what}. Check your connection and connect again.`,
      );
    }
    throw new MessageError(
      "failed",
      `Facebook could not ${what} (${error instanceof Error ? error.message : "unknown error"}). Connect again.`,
    );
  };
}
