import { openComposerAtCaption, shareWithSwitch } from "../tests/support/flows";
import type { Standins } from "../tests/support/standins";
import type { BenchBrowser } from "./browsers";
import { BENCH_PAGE } from "./data";

/**
 * Real shares through the stand-in composer (switch on), a photo and a reel: the media bytes that
 * went through the extension. The stand-in composer loads nothing from the CDN itself, so every CDN
 * byte served meanwhile counts, with the file bytes Graph and Facebook's upload host received.
 */
export async function measureMediaBytes(browser: BenchBrowser, standins: Standins) {
  const page = await browser.page();
  const perKind: Record<string, { cdnBytesServed: number; uploadedBytes: number; via: string | undefined }> =
    {};
  try {
    for (const kind of ["photo", "reel"] as const) {
      const cdnBefore = standins.instagram.cdnBytesServed;
      const graphBefore = standins.graph.requests.length;
      const caption = `Benchmark ${kind} ${Date.now()} #bakery`;
      await openComposerAtCaption(
        page.driver,
        caption,
        `https://www.instagram.com/${kind === "reel" ? "?kind=reel" : ""}`,
      );
      await shareWithSwitch(page.driver, true);
      await page.driver.waitFor('[role="status"]', "Shared to Facebook", 120_000);
      const uploadedBytes = standins.graph.requests
        .slice(graphBefore)
        .flatMap((request) => Object.values(request.files))
        .reduce((sum, file) => sum + file.size, 0);
      let via: string | undefined;
      if (kind === "photo") {
        once(
          standins.graph.posts.filter((post) => post.message === caption && post.pageId === BENCH_PAGE.id),
          kind,
        );
        via = standins.graph.photos.at(-1)?.via;
      } else {
        const reel = once(
          standins.graph.reels.filter(
            (reel) => reel.pageId === BENCH_PAGE.id && reel.description?.startsWith(caption),
          ),
          kind,
        );
        via = reel.file?.via;
      }
      perKind[kind] = { cdnBytesServed: standins.instagram.cdnBytesServed - cdnBefore, uploadedBytes, via };
    }
  } finally {
    await page.close();
  }
  const bytes = Object.values(perKind).reduce(
    (sum, kind) => sum + kind.cdnBytesServed + kind.uploadedBytes,
    0,
  );
  return { bytes, details: perKind };
}

/** The one post a share made on the Page: a share that made none, or two, measures nothing. */
function once<T>(found: T[], kind: string): T {
  const [only] = found;
  if (found.length !== 1 || only === undefined)
    throw new Error(`expected the ${kind} once on the Page, found ${found.length}`);
  return only;
}
