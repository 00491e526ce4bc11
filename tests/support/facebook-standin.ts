import type { IncomingMessage, ServerResponse } from "node:http";
import { sendText } from "./http";

/**
 * How the Login dialog answers: `grant` redirects at once with a token (what a returning user
 * sees), `deny` redirects with `error=access_denied`, `consent` shows a page with a
 * "Continue" button the test clicks first.
 */
export type OAuthMode = "grant" | "deny" | "consent";
export type OAuthSettings = { mode: OAuthMode; token: string; expiresIn: number };
export type FacebookVisit = { path: string; params: Record<string, string>; time: number };

export type FacebookStandin = {
  oauth: OAuthSettings;
  /** Every Login dialog opened (`/dialog/oauth`, versioned or not). */
  readonly oauthRequests: readonly FacebookVisit[];
  /** Every share dialog opened (`/sharer/sharer.php`, `/dialog/share`). */
  readonly shareDialogs: readonly FacebookVisit[];
  reset(): void;
  handle(req: IncomingMessage, res: ServerResponse): void;
};

const DEFAULT_OAUTH: OAuthSettings = { mode: "grant", token: "EAAStandinUserToken", expiresIn: 5400 };

export function createFacebookStandin(deps: { now?: () => number } = {}): FacebookStandin {
  const now = deps.now ?? Date.now;
  let oauthRequests: FacebookVisit[] = [];
  let shareDialogs: FacebookVisit[] = [];

  const standin: FacebookStandin = {
    oauth: { ...DEFAULT_OAUTH },
    get oauthRequests() {
      return oauthRequests;
    },
    get shareDialogs() {
      return shareDialogs;
    },
    reset() {
      oauthRequests = [];
      shareDialogs = [];
      standin.oauth = { ...DEFAULT_OAUTH };
    },
    handle(req, res) {
      const url = new URL(req.url ?? "/", "https://www.facebook.com");
      const params = Object.fromEntries(url.searchParams);
      const visit = { path: url.pathname, params, time: now() };
      if (/^(\/v\d+\.\d+)?\/dialog\/oauth\/?$/.test(url.pathname)) {
        oauthRequests = [...oauthRequests, visit];
        answerOAuth(res, params, url.searchParams.has("confirmed") ? "grant" : standin.oauth.mode);
        return;
      }
      if (
        url.pathname === "/sharer/sharer.php" ||
        url.pathname === "/sharer.php" ||
        /\/dialog\/share\/?$/.test(url.pathname)
      ) {
        shareDialogs = [...shareDialogs, visit];
        const link = params.u ?? params.href ?? "";
        sendHtml(
          res,
          "Share on Facebook",
          `<h1>Share on Facebook</h1><p>Link: <a id="shared-link" href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><button type="button">Post to Facebook</button>`,
        );
        return;
      }
      sendHtml(res, "Facebook", `<h1>Facebook</h1><p>${escapeHtml(url.pathname)}</p>`);
    },
  };

  function answerOAuth(res: ServerResponse, params: Record<string, string>, mode: OAuthMode): void {
    const redirect = params.redirect_uri;
    if (!redirect) {
      sendHtml(res, "Error", "<h1>Sorry, something went wrong.</h1><p>Invalid redirect_uri.</p>");
      return;
    }
    const state = params.state ?? "";
    if (mode === "consent") {
      const confirmed = new URLSearchParams({ ...params, confirmed: "1" });
      sendHtml(
        res,
        "Log in with Facebook",
        `<h1>alsoshare is requesting access to your Pages</h1><p>${escapeHtml(params.scope ?? "")}</p><a id="continue" role="button" href="?${escapeHtml(confirmed.toString())}">Continue</a>`,
      );
      return;
    }
    const target =
      mode === "deny"
        ? `${redirect}?${new URLSearchParams({ error: "access_denied", error_code: "200", error_description: "Permissions error", error_reason: "user_denied", state })}#_=_`
        : `${redirect}#${new URLSearchParams({
            access_token: standin.oauth.token,
            data_access_expiration_time: String(Math.floor(now() / 1000) + 90 * 86400),
            expires_in: String(standin.oauth.expiresIn),
            state,
          })}`;
    res.writeHead(302, { location: target, "content-length": 0 }).end();
  }

  return standin;
}

function sendHtml(res: ServerResponse, title: string, body: string): void {
  sendText(
    res,
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`,
    "text/html; charset=utf-8",
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
