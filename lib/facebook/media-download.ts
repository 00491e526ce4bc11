import { isInstagramMediaUrl } from "../instagram/post";
import { GraphError } from "./errors";
import type { MediaDownload } from "./pages";

/** Facebook takes at most 1 GB in one non-resumable video upload; photos are far smaller. */
export const MAX_MEDIA_BYTES = 1024 ** 3;

/**
 * Downloads media from Instagram's CDN (and nowhere else) for a `source` upload. The answer is read
 * as a Blob, which the browser may keep on disk, and is passed on without being copied.
 */
export function createMediaDownload(fetchImpl: typeof fetch, timeoutMs: number): MediaDownload {
  const unreachable = (why: string) =>
    new GraphError("media-unreachable", `Neither Facebook nor the extension could get the media: ${why}`);
  return async (url) => {
    if (!isInstagramMediaUrl(url)) throw unreachable("it is not on Instagram's servers.");
    let response: Response;
    try {
      response = await fetchImpl(url, { credentials: "omit", signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new GraphError("transient", "Could not download the media from Instagram (network error).");
    }
    if (!response.ok) throw unreachable(`Instagram answered HTTP ${response.status}.`);
    if (Number(response.headers.get("content-length")) > MAX_MEDIA_BYTES) {
      throw unreachable("the file is larger than the 1 GB Facebook accepts in one upload.");
    }
    return response.blob();
  };
}
