import type { ChromiumHarness } from "../tests/support/browsers";
import { playwrightDriver } from "../tests/support/driver";
import { openComposerAtCaption, shareWithSwitch } from "../tests/support/flows";
import { CDN_HOST } from "../tests/support/instagram-standin";
import type { Standins } from "../tests/support/standins";
import { BENCH_PAGE, linkBenchPage } from "./queue";

/**
 * One real photo share through the stand-in composer (switch on): the media bytes that went
 * through the extension, i.e. CDN bytes served that the Instagram page did not ask for itself,
 * plus file bytes Graph received as multipart uploads.
 */
export async function measureMediaBytes(harness: ChromiumHarness, standins: Standins) {
  await linkBenchPage(harness, standins);
  const page = await harness.page();
  let pageCdnBytes = 0;
  page.on("response", (response) => {
    if (new URL(response.url()).hostname === CDN_HOST) {
      pageCdnBytes += Number(response.headers()["content-length"] ?? 0);
    }
  });
  try {
    const cdnBefore = standins.instagram.cdnBytesServed;
    const graphBefore = standins.graph.requests.length;
    const caption = `Benchmark loaf ${Date.now()} #bakery`;
    const instagram = playwrightDriver(page);
    await openComposerAtCaption(instagram, caption);
    await shareWithSwitch(instagram, true);
    await instagram.waitFor('[role="status"]', "Shared to Facebook", 60_000);
    const posts = standins.graph.posts.filter(
      (post) => post.message === caption && post.pageId === BENCH_PAGE.id,
    );
    if (posts.length !== 1) throw new Error(`expected the post once on the Page, found ${posts.length}`);
    const uploads = standins.graph.requests
      .slice(graphBefore)
      .flatMap((request) => Object.values(request.files))
      .reduce((sum, file) => sum + file.size, 0);
    const downloads = standins.instagram.cdnBytesServed - cdnBefore - pageCdnBytes;
    return {
      bytes: downloads + uploads,
      details: {
        cdnBytesServed: standins.instagram.cdnBytesServed - cdnBefore,
        cdnBytesThePageLoaded: pageCdnBytes,
        graphMultipartBytes: uploads,
        photoVia: standins.graph.photos.at(-1)?.via,
      },
    };
  } finally {
    await page.close();
  }
}
