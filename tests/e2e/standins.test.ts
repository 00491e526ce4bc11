import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type BrowserLog,
  type ChromiumHarness,
  type FirefoxHarness,
  GECKO_ID,
  launchChromium,
  launchFirefox,
  waitFor,
} from "../support/browsers";
import { type Driver, playwrightDriver, puppeteerDriver } from "../support/driver";
import { createPost } from "../support/instagram-flow";
import { type Standins, startStandins } from "../support/standins";

// Self-test of the offline bench: the stand-ins answer like the real services, and both browsers
// reach them (and nothing else) through the launchers.

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagetoken0123456789abcdef" };
const OTHER_PAGE = { id: "2002", name: "Other Page", token: "EAAGothertoken" };
const GRAPH = "https://graph.facebook.com/v26.0";

let standins: Standins;

beforeAll(async () => {
  standins = await startStandins();
});
afterAll(async () => {
  await standins?.stop();
});
beforeEach(() => {
  standins.reset();
  standins.graph.addPage(PAGE);
  standins.graph.addPage(OTHER_PAGE);
});

/** Publishes a photo on the Instagram stand-in the way the page does, returning the configure answer. */
async function publishOnInstagram(
  caption: string,
): Promise<{ media: { code: string; image_versions2: { candidates: { url: string }[] } } }> {
  const uploadId = String(Date.now());
  const upload = await standins.fetchAs(`https://www.instagram.com/rupload_igphoto/fb_uploader_${uploadId}`, {
    method: "POST",
    headers: {
      "content-type": "image/jpeg",
      "x-instagram-rupload-params": JSON.stringify({ upload_id: uploadId }),
    },
    body: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]),
  });
  expect(upload.status).toBe(200);
  const configure = await standins.fetchAs("https://www.instagram.com/api/v1/media/configure/", {
    method: "POST",
    body: new URLSearchParams({ upload_id: uploadId, caption, source_type: "library" }),
  });
  expect(configure.status).toBe(200);
  return configure.json();
}

describe("Graph stand-in", () => {
  it("names the Page a token belongs to, from query, form body or Bearer header", async () => {
    const query = await standins.fetchAs(`${GRAPH}/me?fields=id,name&access_token=${PAGE.token}`);
    expect(await query.json()).toEqual({ id: PAGE.id, name: PAGE.name });
    const bearer = await standins.fetchAs(`${GRAPH}/me?fields=id,name`, {
      headers: { authorization: `Bearer ${OTHER_PAGE.token}` },
    });
    expect(await bearer.json()).toEqual({ id: OTHER_PAGE.id, name: OTHER_PAGE.name });
    expect(standins.graph.requests.map((r) => r.token)).toEqual([PAGE.token, OTHER_PAGE.token]);
    expect(standins.graph.requests[0]?.params).toEqual({ fields: "id,name" });
  });

  it("refuses an unknown token with Meta's code 190 error", async () => {
    const answer = await standins.fetchAs(`${GRAPH}/me?fields=id,name&access_token=nope`);
    expect(answer.status).toBe(400);
    const body = await answer.json();
    expect(body.error).toMatchObject({
      message: "Invalid OAuth access token - Cannot parse access token",
      type: "OAuthException",
      code: 190,
    });
    expect(body.error.fbtrace_id).toMatch(/^[\w-]{11}$/);
  });

  it("posts a photo by URL, fetching it from the CDN stand-in, and lists it newest first", async () => {
    const ig = await publishOnInstagram("Fresh sourdough");
    const url = ig.media.image_versions2.candidates[0]?.url ?? "";
    const since = Math.floor(Date.now() / 1000) - 1;
    const answer = await standins.fetchAs(`${GRAPH}/${PAGE.id}/photos`, {
      method: "POST",
      body: new URLSearchParams({ url, message: "Fresh sourdough", access_token: PAGE.token }),
    });
    expect(answer.status).toBe(200);
    const { id, post_id } = await answer.json();
    expect(post_id).toMatch(new RegExp(`^${PAGE.id}_\\d+$`));
    expect(standins.graph.posts).toMatchObject([
      { id: post_id, pageId: PAGE.id, message: "Fresh sourdough", url, kind: "photo" },
    ]);
    expect(standins.graph.photos).toMatchObject([{ id, via: "url", published: true }]);
    expect(standins.graph.mediaFetches).toMatchObject([{ url, found: true }]);
    expect(standins.instagram.cdnBytesServed).toBe(0);

    const list = await standins.fetchAs(
      `${GRAPH}/${PAGE.id}/published_posts?fields=id,message,created_time&since=${since}&limit=5&access_token=${PAGE.token}`,
    );
    const { data } = await list.json();
    expect(data).toEqual([
      {
        id: post_id,
        message: "Fresh sourdough",
        created_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/),
      },
    ]);
  });

  it("answers 324 when the image URL is not on the CDN, and 200 for another Page's token", async () => {
    const missing = await standins.fetchAs(`${GRAPH}/${PAGE.id}/photos?access_token=${PAGE.token}`, {
      method: "POST",
      body: new URLSearchParams({
        url: "https://scontent.cdninstagram.com/v/t51.2885-15/404_n.jpg",
        message: "x",
      }),
    });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatchObject({
      code: 324,
      message: "(#324) Missing or invalid image file",
    });

    const wrongPage = await standins.fetchAs(`${GRAPH}/${PAGE.id}/photos?access_token=${OTHER_PAGE.token}`, {
      method: "POST",
    });
    expect(wrongPage.status).toBe(403);
    expect((await wrongPage.json()).error.code).toBe(200);
    expect(standins.graph.posts).toEqual([]);
  });

  it("builds an album from unpublished multipart photos and /feed", async () => {
    const ids: string[] = [];
    for (const name of ["a.jpg", "b.jpg"]) {
      const form = new FormData();
      form.append(
        "source",
        new Blob([new Uint8Array([0xff, 0xd8, 9, 0xff, 0xd9])], { type: "image/jpeg" }),
        name,
      );
      form.append("published", "false");
      form.append("access_token", PAGE.token);
      const answer = await standins.fetchAs(`${GRAPH}/${PAGE.id}/photos`, { method: "POST", body: form });
      const body = await answer.json();
      expect(body).toEqual({ id: expect.any(String) });
      ids.push(body.id);
    }
    expect(standins.graph.posts).toEqual([]);
    expect(standins.graph.requests[0]?.files.source).toMatchObject({
      filename: "a.jpg",
      type: "image/jpeg",
      size: 5,
    });
    const feed = await standins.fetchAs(`${GRAPH}/${PAGE.id}/feed`, {
      method: "POST",
      headers: { authorization: `Bearer ${PAGE.token}` },
      body: new URLSearchParams({
        message: "Two loaves",
        attached_media: JSON.stringify(ids.map((media_fbid) => ({ media_fbid }))),
      }),
    });
    const { id } = await feed.json();
    expect(standins.graph.posts).toMatchObject([{ id, kind: "album", message: "Two loaves", mediaIds: ids }]);
  });

  it("injects faults in order: error with headers, slow answer, dropped after commit, hang, network down", async () => {
    const photos = /\/photos$/;
    standins.graph.inject({
      path: photos,
      error: { code: 4 },
      headers: {
        "X-App-Usage": '{"call_count":100,"total_cputime":20,"total_time":30}',
        "Retry-After": "60",
      },
    });
    standins.graph.inject({ path: photos, status: 500 });
    standins.graph.inject({ method: "POST", path: photos, delayMs: 300 });
    standins.graph.inject({ path: photos, dropAfterCommit: true });
    standins.graph.inject({ path: photos, hang: true });
    standins.graph.inject({ path: photos, networkDown: true });
    const ig = await publishOnInstagram("faults");
    const post = () =>
      standins.fetchAs(`${GRAPH}/${PAGE.id}/photos?access_token=${PAGE.token}`, {
        method: "POST",
        body: new URLSearchParams({
          url: ig.media.image_versions2.candidates[0]?.url ?? "",
          message: "faults",
        }),
        signal: AbortSignal.timeout(2_000),
      });

    const limited = await post();
    expect(limited.status).toBe(403);
    expect(limited.headers.get("x-app-usage")).toContain("call_count");
    expect(limited.headers.get("retry-after")).toBe("60");
    expect((await limited.json()).error).toMatchObject({ code: 4, type: "OAuthException" });

    const failed = await post();
    expect(failed.status).toBe(500);
    expect((await failed.json()).error.code).toBe(2);

    const started = Date.now();
    expect((await post()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    await expect(post()).rejects.toThrow();
    expect(standins.graph.posts).toHaveLength(2);

    await expect(post()).rejects.toThrow(/timeout|abort/i);
    await expect(post()).rejects.toThrow();
    expect(standins.graph.posts).toHaveLength(2);

    expect((await post()).status).toBe(200);
    expect(standins.graph.posts).toHaveLength(3);
    expect(standins.graph.requests).toHaveLength(7);
  });
});

describe("Graph stand-in, bad days and reels", () => {
  const photoBody = (ig: Awaited<ReturnType<typeof publishOnInstagram>>, message: string) =>
    new URLSearchParams({
      url: ig.media.image_versions2.candidates[0]?.url ?? "",
      message,
      access_token: PAGE.token,
    });

  it("a 5xx after the work: the post is made and the answer still says it failed", async () => {
    standins.graph.inject({
      method: "POST",
      path: /\/photos$/,
      status: 503,
      error: { code: 2 },
      afterCommit: true,
    });
    const ig = await publishOnInstagram("made anyway");
    const answer = await standins.fetchAs(`${GRAPH}/${PAGE.id}/photos`, {
      method: "POST",
      body: photoBody(ig, "made anyway"),
    });
    expect(answer.status).toBe(503);
    expect((await answer.json()).error.code).toBe(2);
    expect(standins.graph.posts.map((post) => post.message)).toEqual(["made anyway"]);
  });

  it("lists a new post only after its listing delay, newest first, a page at a time with cursors, with its photos as attachments", async () => {
    const ig = await publishOnInstagram("listed");
    for (const message of ["one", "two", "three"]) {
      await standins.fetchAs(`${GRAPH}/${PAGE.id}/photos`, { method: "POST", body: photoBody(ig, message) });
    }
    const list = async (params: string) =>
      (
        await standins.fetchAs(`${GRAPH}/${PAGE.id}/published_posts?access_token=${PAGE.token}&${params}`)
      ).json();
    const fields = "fields=id,message,attachments{target{id},subattachments{target{id}}}";
    standins.graph.listingDelayMs = 60_000;
    expect((await list(fields)).data).toEqual([]);
    standins.graph.listingDelayMs = 0;
    const first = await list(`${fields}&limit=2`);
    expect(first.data.map((post: { message: string }) => post.message)).toEqual(["three", "two"]);
    expect(first.data[0].attachments.data[0].target.id).toBe(standins.graph.posts[2]?.mediaIds[0]);
    expect(first.paging.next).toBeDefined();
    const rest = await list(`${fields}&limit=2&after=${first.paging.cursors.after}`);
    expect(rest.data.map((post: { message: string }) => post.message)).toEqual(["one"]);
    expect(rest.paging).toBeUndefined();
  });

  it("takes a reel through start, the upload host by file_url, finish and processing, then lists it", async () => {
    standins.graph.reelProcessingMs = 200;
    const reels = `${GRAPH}/${PAGE.id}/video_reels`;
    const start = await (
      await standins.fetchAs(reels, {
        method: "POST",
        body: new URLSearchParams({ upload_phase: "start", access_token: PAGE.token }),
      })
    ).json();
    expect(start.upload_url).toBe(`https://rupload.facebook.com/video-upload/v26.0/${start.video_id}`);
    const status = async () =>
      (
        await (
          await standins.fetchAs(`${GRAPH}/${start.video_id}?fields=status&access_token=${PAGE.token}`)
        ).json()
      ).status;
    expect((await status()).uploading_phase.status).toBe("not_started");
    // Finish before the upload is refused; nothing is published.
    const early = await standins.fetchAs(reels, {
      method: "POST",
      body: new URLSearchParams({
        upload_phase: "finish",
        video_id: start.video_id,
        video_state: "PUBLISHED",
        access_token: PAGE.token,
      }),
    });
    expect(early.status).toBe(400);

    const ig = await publishOnInstagram("a reel's file");
    const fileUrl = ig.media.image_versions2.candidates[0]?.url ?? "";
    const upload = await standins.fetchAs(start.upload_url, {
      method: "POST",
      headers: { authorization: `OAuth ${PAGE.token}`, file_url: fileUrl },
    });
    expect(await upload.json()).toEqual({ success: true });
    const finish = await standins.fetchAs(reels, {
      method: "POST",
      body: new URLSearchParams({
        upload_phase: "finish",
        video_id: start.video_id,
        video_state: "PUBLISHED",
        description: "Morning bake",
        access_token: PAGE.token,
      }),
    });
    expect(await finish.json()).toEqual({ success: true });
    expect((await status()).publishing_phase.status).toBe("in_progress");
    expect(standins.graph.posts).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await status()).publishing_phase).toMatchObject({
      status: "complete",
      publish_status: "published",
    });
    expect(standins.graph.posts).toMatchObject([
      { kind: "reel", message: "Morning bake", mediaIds: [start.video_id] },
    ]);
    expect(standins.graph.reels[0]?.file).toMatchObject({ via: "url", url: fileUrl });
  });
});

describe("Instagram and CDN stand-ins", () => {
  it("serves what the page uploaded at the configure answer's URL, and counts the bytes", async () => {
    const ig = await publishOnInstagram("cdn");
    expect(ig.media).toMatchObject({ media_type: 1, product_type: "feed", caption: { text: "cdn" } });
    expect(ig.media.code).toMatch(/^[\w-]{11}$/);
    const image = await standins.fetchAs(ig.media.image_versions2.candidates[0]?.url ?? "");
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect((await image.arrayBuffer()).byteLength).toBe(9);
    expect(standins.instagram.cdnBytesServed).toBe(9);
    expect((await standins.fetchAs("https://scontent.cdninstagram.com/v/t51.2885-15/1_n.jpg")).status).toBe(
      404,
    );
  });

  it("answers a reel's configure with 'Transcode not finished yet.' twice before success", async () => {
    const uploadId = String(Date.now());
    await standins.fetchAs(`https://www.instagram.com/rupload_igvideo/fb_uploader_${uploadId}`, {
      method: "POST",
      body: new Uint8Array(64),
    });
    const configure = () =>
      standins.fetchAs("https://www.instagram.com/api/v1/media/configure_to_clips/", {
        method: "POST",
        body: new URLSearchParams({ upload_id: uploadId, caption: "reel" }),
      });
    for (const _ of [1, 2]) {
      const pending = await configure();
      expect(pending.status).toBe(202);
      expect(await pending.json()).toEqual({ status: "fail", message: "Transcode not finished yet." });
    }
    const done = await (await configure()).json();
    expect(done.media).toMatchObject({
      media_type: 2,
      product_type: "clips",
      video_versions: [{ url: expect.stringContaining(".mp4") }, {}],
    });
    expect(standins.instagram.configures).toHaveLength(3);
    expect(standins.instagram.posts).toHaveLength(1);
  });
});

describe("Facebook Login stand-in", () => {
  it("redirects the Login dialog with a token the Graph stand-in knows, and lists that user's Pages", async () => {
    standins.graph.addUser({
      id: "77",
      name: "Ana",
      token: standins.facebook.oauth.token,
      pageIds: [PAGE.id],
    });
    const redirect = "https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/";
    const dialog = await standins.fetchAs(
      `https://www.facebook.com/v26.0/dialog/oauth?${new URLSearchParams({ client_id: "123", redirect_uri: redirect, state: "s1", response_type: "token" })}`,
    );
    expect(dialog.status).toBe(302);
    const fragment = new URLSearchParams(new URL(dialog.headers.get("location") ?? "").hash.slice(1));
    expect(fragment.get("state")).toBe("s1");
    const accounts = await standins.fetchAs(
      `${GRAPH}/me/accounts?access_token=${fragment.get("access_token")}`,
    );
    expect((await accounts.json()).data).toMatchObject([
      { id: PAGE.id, access_token: PAGE.token, tasks: expect.arrayContaining(["CREATE_CONTENT"]) },
    ]);
    expect(standins.facebook.oauthRequests).toMatchObject([{ params: { client_id: "123", state: "s1" } }]);
  });
});

describe("CONNECT proxy", () => {
  it("tunnels stand-in hosts and refuses every other destination", async () => {
    const answer = (target: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(standins.proxyPort, "127.0.0.1", () =>
          socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`),
        );
        socket.once("data", (data) => {
          resolve(data.toString().split("\r\n")[0] ?? "");
          socket.destroy();
        });
        socket.on("error", reject);
      });
    expect(await answer("graph.facebook.com:443")).toContain("200");
    expect(await answer("example.com:443")).toContain("403");
    expect(await answer("www.instagram.com:80")).toContain("403");
    expect(standins.refused).toEqual(expect.arrayContaining(["example.com:443", "www.instagram.com:80"]));
  });
});

// ---- real browsers ----

/** A throwaway MV3 extension proving the launchers: a content script and a background that calls Graph. */
async function makeProbeExtension(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "alsoshare-probe-"));
  const manifest = {
    manifest_version: 3,
    name: "alsoshare launcher probe",
    version: "0.0.1",
    // Chrome uses service_worker, Firefox uses scripts; each ignores the other's key.
    background: { service_worker: "background.js", scripts: ["background.js"] },
    host_permissions: ["https://graph.facebook.com/*", "https://www.instagram.com/*"],
    content_scripts: [
      { matches: ["https://www.instagram.com/*"], js: ["content.js"], run_at: "document_idle" },
    ],
    options_ui: { page: "options.html" },
    browser_specific_settings: { gecko: { id: GECKO_ID } },
  };
  const background = `
const api = globalThis.browser ?? globalThis.chrome;
api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (message !== "probe-graph") return;
  fetch("https://graph.facebook.com/v26.0/me?fields=id,name&access_token=${PAGE.token}")
    .then(async (r) => sendResponse({ status: r.status, body: await r.json() }))
    .catch((e) => sendResponse({ error: String(e) }));
  return true;
});`;
  // Also mounts a switch in an open shadow root in the composer dialog, as the real extension
  // does, recording whether each click on it was trusted (T) or synthetic (U).
  const content = `
const root = document.documentElement;
root.dataset.probeContent = "1";
(globalThis.browser ?? globalThis.chrome).runtime.sendMessage("probe-graph")
  .then((answer) => { root.dataset.probeGraph = JSON.stringify(answer); });
new MutationObserver(() => {
  const dialog = document.querySelector("[role=dialog]");
  if (!dialog || dialog.querySelector("[data-probe-switch]")) return;
  const host = document.createElement("div");
  host.dataset.probeSwitch = "1";
  const toggle = document.createElement("div");
  toggle.setAttribute("role", "switch");
  toggle.setAttribute("aria-checked", "false");
  toggle.textContent = "Also share to Facebook";
  toggle.addEventListener("click", (event) => {
    root.dataset.probeClicks = (root.dataset.probeClicks ?? "") + (event.isTrusted ? "T" : "U");
    if (event.isTrusted) toggle.setAttribute("aria-checked", String(toggle.getAttribute("aria-checked") !== "true"));
  });
  host.attachShadow({ mode: "open" }).append(toggle);
  dialog.append(host);
}).observe(root, { childList: true, subtree: true });`;
  await Promise.all([
    writeFile(join(dir, "manifest.json"), JSON.stringify(manifest)),
    writeFile(join(dir, "background.js"), background),
    writeFile(join(dir, "content.js"), content),
    writeFile(
      join(dir, "options.html"),
      '<!doctype html><meta charset="utf-8"><h1 id="title">probe options</h1>',
    ),
  ]);
  return dir;
}

let probeDir: string;
beforeAll(async () => {
  probeDir = await makeProbeExtension();
});
afterAll(async () => {
  if (probeDir) await rm(probeDir, { recursive: true, force: true });
});

const html = (driver: Driver, expression: string) => driver.evaluate<unknown>(expression);

/** Each page variant, what its outcome heading says, and what sets it apart. */
const VARIANTS: { query: string; outcome: string; check: (driver: Driver) => Promise<void> }[] = [
  ...(
    [
      ["pt-BR", "Publicação compartilhada", "Compartilhar", "Escreva uma legenda..."],
      ["es", "Publicación compartida", "Compartir", "Escribe una descripción..."],
      ["de", "Beitrag geteilt", "Teilen", "Verfasse eine Bildunterschrift ..."],
      ["fr", "Publication partagée", "Partager", "Écrivez une légende..."],
      ["ko", "게시물이 공유되었습니다", "공유하기", "문구를 입력하세요..."],
      ["ja", "投稿がシェアされました", "シェア", "キャプションを入力..."],
    ] as const
  ).map(([lang, outcome, share, caption]) => ({
    query: `lang=${lang}`,
    outcome,
    check: async (driver: Driver) => {
      expect(await html(driver, "document.documentElement.lang")).toBe(lang);
      const strings = await html(driver, "globalThis.igStrings[document.documentElement.lang]");
      expect(strings).toMatchObject({ share, writeCaption: caption });
      expect(await html(driver, "document.body.innerText.includes('Create')")).toBe(false);
    },
  })),
  {
    query: "layout=2022",
    outcome: "Post shared",
    check: async () => {
      expect(standins.instagram.posts[0]?.endpoint).toBe("configure");
    },
  },
  {
    query: "layout=unknown",
    outcome: "Post shared",
    check: async (driver) => {
      expect(await html(driver, "document.querySelector('[role=dialog], [role=textbox]')")).toBeNull();
    },
  },
  {
    query: "kind=carousel",
    outcome: "Post shared",
    check: async () => {
      const [post] = standins.instagram.posts;
      expect(post?.endpoint).toBe("configure_sidecar");
      expect(post?.uploadIds).toHaveLength(2);
      expect(post?.response).toMatchObject({
        media: { media_type: 8, carousel_media: [{ media_type: 1 }, { media_type: 1 }] },
      });
    },
  },
  {
    query: "kind=reel",
    outcome: "Reel shared",
    check: async () => {
      expect(standins.instagram.configures.map((c) => c.status)).toEqual([202, 202, 200]);
      expect(standins.instagram.posts[0]?.response).toMatchObject({
        media: { media_type: 2, product_type: "clips", video_versions: [{ width: 720, height: 1280 }, {}] },
      });
      expect(standins.instagram.uploads.map((u) => u.kind)).toEqual(["video", "photo"]);
    },
  },
  {
    query: "kind=video",
    outcome: "Post shared",
    check: async () => {
      expect(standins.instagram.posts[0]).toMatchObject({
        endpoint: "configure",
        response: { media: { media_type: 2, product_type: "feed" } },
      });
    },
  },
  {
    query: "theme=dark",
    outcome: "Post shared",
    check: async (driver) => {
      expect(await html(driver, "document.documentElement.className")).toContain("dark");
      expect(await html(driver, "getComputedStyle(document.body).backgroundColor")).toBe("rgb(0, 0, 0)");
    },
  },
];

/** The checks both browsers must pass, given a way to open a page. */
function browserChecks(
  openPage: () => Promise<Driver>,
  openOptions: () => Promise<Driver>,
  logs: () => readonly BrowserLog[],
) {
  it("runs the extension's content script on the Instagram stand-in and its background reaches Graph", async () => {
    const driver = await openPage();
    await driver.goto("https://www.instagram.com/");
    await waitFor(
      async () =>
        (await driver.evaluate<string | undefined>("document.documentElement.dataset.probeGraph")) !==
        undefined,
      "probe answer",
    );
    const answer = JSON.parse(await driver.evaluate<string>("document.documentElement.dataset.probeGraph"));
    expect(answer).toEqual({ status: 200, body: { id: PAGE.id, name: PAGE.name } });
  });

  it("goes through the create flow and the page's own Share makes exactly one configure", async () => {
    const driver = await openPage();
    expect(await createPost(driver, { caption: "Sunday bake 🍞 #sourdough" })).toBe("Post shared");
    expect(standins.instagram.posts).toHaveLength(1);
    expect(standins.instagram.posts[0]).toMatchObject({
      endpoint: "configure",
      caption: "Sunday bake 🍞 #sourdough",
    });
    const [upload] = standins.instagram.uploads;
    expect(upload?.type).toBe("image/jpeg");
    expect(upload?.bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(standins.instagram.cdnBytesServed).toBe(0);
  });

  it("collects the pages' console messages", async () => {
    const driver = await openPage();
    await driver.goto("https://www.instagram.com/?lang=de");
    await waitFor(() => logs().some((log) => log.text === "instagram stand-in: ?lang=de"), "console message");
  });

  it.each(VARIANTS)("serves the $query variant", async (variant) => {
    const driver = await openPage();
    const outcome = await createPost(driver, {
      caption: `caption for ${variant.query}`,
      query: variant.query,
    });
    expect(outcome).toBe(variant.outcome);
    expect(standins.instagram.posts).toHaveLength(1);
    expect(standins.instagram.posts[0]).toMatchObject({ caption: `caption for ${variant.query}` });
    await variant.check(driver);
  });

  it("lets the hostile page forge messages and click the switch, synthetically only", async () => {
    const driver = await openPage();
    await createPost(driver, { caption: "hostile", query: "hostile=1" });
    const log = await driver.evaluate<{ reason: string; action: string }[]>("window.__hostileLog");
    expect(log.filter((entry) => entry.action === "forge" && entry.reason === "load").length).toBeGreaterThan(
      0,
    );
    expect(log.some((entry) => entry.reason === "dialog-open")).toBe(true);
    expect(log.some((entry) => entry.action === "click-switch")).toBe(true);
    const clicks = await driver.evaluate<string>("document.documentElement.dataset.probeClicks ?? ''");
    expect(clicks).toMatch(/^U+$/);
    expect(standins.instagram.posts).toHaveLength(1);
  });

  it("opens the extension's own pages", async () => {
    const driver = await openOptions();
    expect(await driver.evaluate<string>("document.getElementById('title').textContent")).toBe(
      "probe options",
    );
  });
}

describe("Chromium launcher", () => {
  let chromium: ChromiumHarness;
  beforeAll(async () => {
    chromium = await launchChromium({ extensionDir: probeDir, standins });
  });
  afterAll(async () => {
    await chromium?.close();
  });

  browserChecks(
    async () => playwrightDriver(await chromium.page()),
    async () => playwrightDriver(await chromium.openExtensionPage("options.html")),
    () => chromium.logs,
  );

  it("stops the service worker and sees the next one start", async () => {
    expect(chromium.extensionId).toMatch(/^[a-p]{32}$/);
    await (await chromium.serviceWorker()).evaluate(() => {
      Object.assign(globalThis, { probeMarker: "first run" });
    });
    await chromium.stopServiceWorker();
    // The content script's message wakes the worker, as a real share would.
    const page = await chromium.page();
    await page.goto("https://www.instagram.com/");
    const worker = await chromium.serviceWorker();
    expect(worker.url()).toBe(`chrome-extension://${chromium.extensionId}/background.js`);
    expect(await worker.evaluate(() => "probeMarker" in globalThis)).toBe(false);
  });
});

describe("Firefox launcher", () => {
  let firefox: FirefoxHarness;
  let refusedBefore = 0;
  beforeAll(async () => {
    refusedBefore = standins.refused.length;
    firefox = await launchFirefox({ extensionDir: probeDir, standins });
  });
  afterAll(async () => {
    await firefox?.close();
  });

  browserChecks(
    async () => puppeteerDriver(await firefox.page()),
    async () => puppeteerDriver(await firefox.openExtensionPage("options.html")),
    () => firefox.logs,
  );

  it("installs the add-on under its gecko id and reaches nothing but the stand-ins", () => {
    expect(firefox.extensionId).toBe(GECKO_ID);
    const refused = standins.refused.slice(refusedBefore);
    expect(refused.filter((target) => /instagram|facebook|cdninstagram/.test(target))).toEqual([]);
  });
});
