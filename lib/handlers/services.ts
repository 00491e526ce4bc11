import { browser } from "wxt/browser";
import { BlueskyLinkError, signInToBluesky } from "../bluesky/session";
import { changeAccount } from "../db/accounts";
import { readServiceAppRecord, writeServiceAppRecord } from "../db/app-credentials";
import type { AccountRecord } from "../db/schema";
import { ShareError } from "../destinations/errors";
import { type OriginPermissions, originPattern, withOriginAccess } from "../destinations/host-access";
import { accountIdFor, SERVICE_NAMES, type ServiceId } from "../destinations/services";
import {
  type AppCredentials,
  appCredentialsSchema,
  browserSignIn,
  randomHex,
  type SignInDeps,
} from "../facebook/oauth";
import { readInstance } from "../mastodon/instance";
import {
  authorizeUrl,
  exchangeCode,
  instanceOrigin,
  linkSecrets,
  MastodonLinkError,
  mastodonAccountFields,
  readAuthorizeRedirect,
  registerApp,
  verifyAccount,
} from "../mastodon/linking";
import { MessageError } from "../messages/protocol";
import { type AppSetupView, accountView } from "../messages/views";
import { transition } from "../queue/lifecycle";
import { THREADS_ORIGIN } from "../threads/client";
import {
  exchangeThreadsCode,
  readThreadsProfile,
  readThreadsRedirect,
  ThreadsLinkError,
  threadsAccountFields,
  threadsAuthorizeUrl,
} from "../threads/oauth";
import { TUMBLR_API } from "../tumblr/client";
import {
  exchangeTumblrCode,
  readTumblrBlog,
  readTumblrRedirect,
  TumblrLinkError,
  tumblrAccountFields,
  tumblrAuthorizeUrl,
} from "../tumblr/oauth";
import { loadTumblrApp } from "./app-credentials";
import type { HandlerDeps, HandlersFor } from "./deps";

/** bsky.social's sign-in host; its accounts live on PDS hosts under bsky.network. */
export const BLUESKY_ENTRYWAY = "https://bsky.social";
const BLUESKY_TEXT_LIMIT = 300;
/** Bluesky's app passwords look like `abcd-efgh-ijkl-mnop`; an account's own password does not. */
const APP_PASSWORD = /^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/;

export interface ServiceLinkDeps {
  /** Calls other services, only on hosts the user allowed (withOriginAccess). */
  fetch: typeof fetch;
  permissions: OriginPermissions;
  signIn: Pick<SignInDeps, "launchWebAuthFlow" | "redirectUrl" | "randomBytes">;
}

/** The real browser: host access as the user gave it, `identity` for the sign-in windows. */
export function browserServiceLinks(permissions: OriginPermissions = browser.permissions): ServiceLinkDeps {
  return {
    fetch: withOriginAccess((input, init) => fetch(input, init), permissions),
    permissions,
    signIn: browserSignIn(),
  };
}

/** Linking accounts of the services other than Facebook: Bluesky, Mastodon, Threads, Tumblr. */
export function createServiceHandlers(
  deps: HandlerDeps,
  links: ServiceLinkDeps = browserServiceLinks(),
): HandlersFor<
  | "accounts.linkBluesky"
  | "accounts.connectMastodon"
  | "accounts.threadsApp"
  | "accounts.setThreadsApp"
  | "accounts.connectThreads"
  | "accounts.tumblrApp"
  | "accounts.setTumblrApp"
  | "accounts.connectTumblr"
> {
  /**
   * Stores the account with its new sign-in, in one transaction with its log entry and the shares
   * that waited for it: linking again an account whose sign-in died sends them.
   */
  async function link(fresh: Omit<AccountRecord, "status" | "linkedAt">) {
    const now = deps.now();
    const service =
      SERVICE_NAMES[fresh.kind === "page" || fresh.kind === "profile" ? "facebook" : fresh.kind];
    const { account, resumed } = await changeAccount(fresh.id, ["needs-signin"], (scene) => {
      const existing = scene.account;
      const account: AccountRecord = { ...fresh, status: "ok", linkedAt: existing?.linkedAt ?? now };
      const resumed = scene.jobs.flatMap(
        (job) => transition(job, { type: "signed-in", targetName: account.name }, now) ?? [],
      );
      const handle = fresh.home?.handle ?? fresh.name;
      return {
        account,
        jobs: resumed,
        events: [
          existing
            ? { at: now, type: "relinked", message: `Signed in again to ${handle} on ${service}.` }
            : { at: now, type: "linked", message: `Linked ${handle} on ${service}.` },
        ],
        answer: { account, resumed },
      };
    });
    for (const job of resumed) deps.onJobChanged(job);
    deps.onAccountsChanged();
    if (resumed.length > 0) void deps.queue.kick();
    return accountView(account);
  }

  /** The user must have let us reach the service's host (asked for on the options page, at the click). */
  async function requireAccess(origin: string, service: ServiceId) {
    const allowed = await links.permissions.contains({ origins: [originPattern(origin)] }).catch(() => false);
    if (!allowed) {
      throw new MessageError(
        "failed",
        `alsoshare needs your permission to reach ${new URL(origin).host} to link your ${SERVICE_NAMES[service]} account. Press the button again and allow it.`,
      );
    }
  }

  /** One browser sign-in window: answers where it sent the browser back. */
  async function signInWindow(url: string, service: ServiceId): Promise<string> {
    const redirected = await links.signIn
      .launchWebAuthFlow({ url, interactive: true })
      .catch(() => undefined);
    if (!redirected) {
      throw new MessageError(
        "failed",
        `The ${SERVICE_NAMES[service]} sign-in window was closed before it finished, so nothing was linked. Try again.`,
      );
    }
    return redirected;
  }

  async function threadsApp(): Promise<AppCredentials | undefined> {
    const parsed = appCredentialsSchema.safeParse(await readServiceAppRecord("threads"));
    return parsed.success ? parsed.data : undefined;
  }

  async function threadsSetup(): Promise<AppSetupView> {
    const credentials = await threadsApp();
    return {
      appId: credentials?.appId,
      hasSecret: credentials?.appSecret !== undefined,
      redirectUrl: links.signIn.redirectUrl(),
    };
  }

  async function tumblrSetup(): Promise<AppSetupView> {
    const app = await loadTumblrApp();
    return { appId: app?.key, hasSecret: app?.secret !== undefined, redirectUrl: links.signIn.redirectUrl() };
  }

  return {
    async "accounts.linkBluesky"({ identifier, appPassword, server }) {
      if (!APP_PASSWORD.test(appPassword.trim())) {
        throw new MessageError(
          "failed",
          "That is not a Bluesky app password. Create one in Bluesky (Settings › Privacy and security › App passwords) and enter it here; never your account's own password.",
        );
      }
      const service = server ? serviceOrigin(server, "Bluesky") : BLUESKY_ENTRYWAY;
      await requireAccess(service, "bluesky");
      const session = await signInToBluesky(
        links.fetch,
        { service, identifier: identifier.trim().replace(/^@/, ""), appPassword: appPassword.trim() },
        deps.now,
      )
        .catch((error: unknown) => {
          throw error instanceof BlueskyLinkError ? new MessageError("failed", error.message) : error;
        })
        .catch(serviceFailure("Bluesky"));
      await requireAccess(session.pdsOrigin, "bluesky");
      return link({
        id: accountIdFor("bluesky", session.did),
        kind: "bluesky",
        name: session.displayName || `@${session.handle}`,
        ...(session.avatar && { pictureUrl: session.avatar }),
        token: session.accessJwt,
        ...(session.signInExpiresAt && { tokenExpiresAt: session.signInExpiresAt }),
        home: {
          origin: session.pdsOrigin,
          userId: session.did,
          handle: `@${session.handle}`,
          refreshToken: session.refreshJwt,
          textLimit: BLUESKY_TEXT_LIMIT,
        },
      });
    },

    async "accounts.connectMastodon"({ instance }) {
      try {
        const origin = instanceOrigin(instance);
        await requireAccess(origin, "mastodon");
        const redirectUri = links.signIn.redirectUrl();
        const app = await registerApp(links.fetch, origin, redirectUri);
        const secrets = await linkSecrets(links.signIn.randomBytes);
        const redirected = await signInWindow(
          authorizeUrl(origin, { ...app, redirectUri, ...secrets }),
          "mastodon",
        );
        const code = readAuthorizeRedirect(redirected, { redirectUri, state: secrets.state });
        const signIn = await exchangeCode(links.fetch, origin, {
          ...app,
          redirectUri,
          code,
          codeVerifier: secrets.codeVerifier,
        });
        const [profile, server] = await Promise.all([
          verifyAccount(links.fetch, origin, signIn.token),
          readInstance(links.fetch, origin),
        ]);
        const fields = mastodonAccountFields({ origin, instance: server, profile, signIn });
        // The composer says when a text is too long for the server, whatever its limit.
        return link({ ...fields, home: fields.home && { ...fields.home, textLimit: server.textLimit } });
      } catch (error) {
        throw error instanceof MastodonLinkError ? new MessageError("failed", error.message) : error;
      }
    },

    async "accounts.threadsApp"() {
      return threadsSetup();
    },

    async "accounts.setThreadsApp"({ appId, appSecret }) {
      const current = await threadsApp();
      const secret =
        appSecret === null
          ? undefined
          : (appSecret ?? (current?.appId === appId ? current.appSecret : undefined));
      await writeServiceAppRecord("threads", {
        appId,
        ...(secret !== undefined && { appSecret: secret.toLowerCase() }),
      });
      return threadsSetup();
    },

    async "accounts.connectThreads"() {
      const credentials = await threadsApp();
      if (!credentials?.appSecret) {
        throw new MessageError(
          "failed",
          "Enter your Threads app's ID and secret (your Meta app › Use cases › Threads › Settings) and save them before connecting Threads.",
        );
      }
      await requireAccess(THREADS_ORIGIN, "threads");
      const redirectUri = links.signIn.redirectUrl();
      const state = randomHex(links.signIn);
      const redirected = await signInWindow(
        threadsAuthorizeUrl({ appId: credentials.appId, redirectUri, state }),
        "threads",
      );
      try {
        const code = readThreadsRedirect(redirected, { redirectUri, state });
        const app = { appId: credentials.appId, appSecret: credentials.appSecret };
        const signedIn = await exchangeThreadsCode(links.fetch, { ...app, redirectUri, code }, deps.now());
        const profile = await readThreadsProfile(links.fetch, signedIn.token);
        return link(threadsAccountFields(profile, signedIn));
      } catch (error) {
        throw error instanceof ThreadsLinkError ? new MessageError("failed", error.message) : error;
      }
    },

    async "accounts.tumblrApp"() {
      return tumblrSetup();
    },

    async "accounts.setTumblrApp"({ key, secret }) {
      const current = await loadTumblrApp();
      const kept =
        secret === null ? undefined : (secret ?? (current?.key === key ? current.secret : undefined));
      await writeServiceAppRecord("tumblr", { key, ...(kept !== undefined && { secret: kept }) });
      return tumblrSetup();
    },

    async "accounts.connectTumblr"({ blog }) {
      const app = await loadTumblrApp();
      if (!app?.secret) {
        throw new MessageError(
          "failed",
          "Enter your Tumblr app's OAuth consumer key and secret (tumblr.com/oauth/apps) and save them before connecting Tumblr.",
        );
      }
      await requireAccess(TUMBLR_API, "tumblr");
      const redirectUri = links.signIn.redirectUrl();
      const state = randomHex(links.signIn);
      const redirected = await signInWindow(
        tumblrAuthorizeUrl({ key: app.key, redirectUri, state }),
        "tumblr",
      );
      try {
        const code = readTumblrRedirect(redirected, { redirectUri, state });
        const signedIn = await exchangeTumblrCode(
          links.fetch,
          { app: { key: app.key, secret: app.secret }, redirectUri, code },
          deps.now(),
        );
        return link(tumblrAccountFields(await readTumblrBlog(links.fetch, signedIn.token, blog), signedIn));
      } catch (error) {
        throw error instanceof TumblrLinkError ? new MessageError("failed", error.message) : error;
      }
    },
  };
}

/** A server the user named, as an https origin; anything else is refused in a sentence. */
function serviceOrigin(input: string, service: string): string {
  const text = input.trim();
  try {
    const url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol === "https:" && !url.username && !url.password && url.pathname === "/" && !url.search) {
      return url.origin;
    }
  } catch {
    // Refused below.
  }
  throw new MessageError("failed", `“${text}” is not a ${service} server address like bsky.social.`);
}

/** A service's failure while linking, as the sentence the user sees; no token is ever in it. */
function serviceFailure(service: string) {
  return (error: unknown): never => {
    if (error instanceof MessageError) throw error;
    if (error instanceof ShareError) {
      if (error.kind === "auth") {
        throw new MessageError("failed", `${service} did not accept the sign-in: ${error.message}`);
      }
      if (error.details.hostAccessMissing) throw new MessageError("failed", error.message);
      if (error.details.networkError) {
        throw new MessageError("failed", `Could not reach ${service}. Check your connection and try again.`);
      }
    }
    throw new MessageError(
      "failed",
      `${service} could not link the account (${error instanceof Error ? error.message : "unknown error"}). Try again.`,
    );
  };
}
