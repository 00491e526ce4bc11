import { describe, expect, it } from "vitest";
import { listManagedPages } from "@/lib/facebook/accounts-api";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import {
  LOGIN_DIALOG_URL,
  loginUrl,
  readLoginRedirect,
  type SignInDeps,
  SignInError,
  signInWithFacebook,
} from "@/lib/facebook/oauth";

const REDIRECT = "https://abcdefghijklmnop.chromiumapp.org/";
const NOW = 1_780_000_000_000;

function fakeSignIn(answer: (url: URL) => Promise<string | undefined>): SignInDeps & { opened: URL[] } {
  const opened: URL[] = [];
  return {
    opened,
    launchWebAuthFlow: ({ url }) => {
      opened.push(new URL(url));
      return answer(new URL(url));
    },
    redirectUrl: () => REDIRECT,
    randomBytes: (length) => new Uint8Array(length).map((_, index) => index * 7 + 1),
    pending: { load: async () => undefined, save: async () => undefined, clear: async () => undefined },
  };
}

const grant = (url: URL) =>
  Promise.resolve(
    `${REDIRECT}#access_token=EAAUserToken123&expires_in=5400&state=${url.searchParams.get("state")}`,
  );

async function failure(promise: Promise<unknown>): Promise<SignInError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof SignInError)) throw new Error(`expected a SignInError, got ${String(error)}`);
  return error;
}

describe("Facebook Login request", () => {
  it("asks the pinned dialog for a token with the three Page permissions and a random state", () => {
    const url = new URL(loginUrl({ appId: "987654321012345", redirectUrl: REDIRECT, state: "s".repeat(32) }));
    expect(`${url.origin}${url.pathname}`).toBe(LOGIN_DIALOG_URL);
    expect(LOGIN_DIALOG_URL).toBe("https://www.facebook.com/v26.0/dialog/oauth");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: "987654321012345",
      redirect_uri: REDIRECT,
      response_type: "token",
      state: "s".repeat(32),
      scope: "pages_show_list,pages_manage_posts,pages_read_engagement,publish_video,instagram_basic",
    });
  });

  it("uses a fresh 32-hex-digit state and gives back the token with its expiry", async () => {
    const deps = fakeSignIn(grant);
    const result = await signInWithFacebook(deps, "987654321012345", () => NOW);
    expect(result).toEqual({ userToken: "EAAUserToken123", expiresAt: NOW + 5400_000 });
    expect(deps.opened[0]?.searchParams.get("state")).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("reading where Facebook sent the browser back", () => {
  const expected = { redirectUrl: REDIRECT, state: "abc123" };

  it("refuses an answer whose state is not ours", () => {
    expect(() =>
      readLoginRedirect(`${REDIRECT}#access_token=EAAUserToken123&state=other`, expected, NOW),
    ).toThrow(/did not match this sign-in/);
  });

  it("says plainly that the user declined", () => {
    const url = `${REDIRECT}?error=access_denied&error_reason=user_denied&state=abc123#_=_`;
    expect(() => readLoginRedirect(url, expected, NOW)).toThrow(/You declined/);
  });

  it("refuses a redirect to another place, or one without a token", () => {
    expect(() =>
      readLoginRedirect("https://evil.example/#access_token=EAAUserToken123&state=abc123", expected, NOW),
    ).toThrow(/unexpected place/);
    expect(() => readLoginRedirect(`${REDIRECT}#state=abc123`, expected, NOW)).toThrow(/unexpected place/);
  });

  it("leaves the expiry unknown when Facebook gives none", () => {
    expect(readLoginRedirect(`${REDIRECT}#access_token=EAAUserToken123&state=abc123`, expected, NOW)).toEqual(
      {
        userToken: "EAAUserToken123",
        expiresAt: undefined,
      },
    );
  });

  it("a closed sign-in window is a cancel, not an error of ours", async () => {
    const error = await failure(
      signInWithFacebook(
        fakeSignIn(() => Promise.reject(new Error("The user did not approve access."))),
        "987654321012345",
        () => NOW,
      ),
    );
    expect(error.reason).toBe("cancelled");
    expect(error.message).toBe("Facebook sign-in was closed before it finished, so nothing was linked.");
  });

  it("a sign-in page that cannot load says to check the connection", async () => {
    const error = await failure(
      signInWithFacebook(
        fakeSignIn(() => Promise.reject(new Error("Authorization page could not be loaded."))),
        "987654321012345",
        () => NOW,
      ),
    );
    expect(error.reason).toBe("unreachable");
  });
});

describe("the Pages a user manages", () => {
  it("follows Graph's cursor through every page of results and marks where posting is allowed", async () => {
    const calls: GraphRequest[] = [];
    const graph: GraphClient = {
      async call(request) {
        calls.push(request);
        if (request.params?.after === undefined) {
          return {
            data: [
              {
                id: "1001",
                name: "Acme Bakery",
                access_token: "EAAPageToken1001",
                tasks: ["CREATE_CONTENT"],
              },
              { id: "1002", name: "Acme Analytics", access_token: "EAAPageToken1002", tasks: ["ANALYZE"] },
            ],
            paging: {
              cursors: { after: "MQ" },
              next: "https://graph.facebook.com/v26.0/me/accounts?after=MQ",
            },
          };
        }
        return {
          data: [
            {
              id: "1003",
              name: "Acme Café",
              access_token: "EAAPageToken1003",
              tasks: ["MODERATE", "CREATE_CONTENT"],
              picture: { data: { url: "https://scontent.xx.fbcdn.net/p.jpg" } },
            },
          ],
          paging: { cursors: { after: "Mg" } },
        };
      },
    };
    const pages = await listManagedPages(graph, "EAAUserToken123");
    expect(pages.map((page) => [page.name, page.canPost])).toEqual([
      ["Acme Bakery", true],
      ["Acme Analytics", false],
      ["Acme Café", true],
    ]);
    expect(pages[2]?.pictureUrl).toBe("https://scontent.xx.fbcdn.net/p.jpg");
    expect(calls.map((call) => [call.path, call.params?.after])).toEqual([
      ["/me/accounts", undefined],
      ["/me/accounts", "MQ"],
    ]);
    expect(calls[0]?.params?.fields).toBe("id,name,access_token,tasks,picture");
  });
});
