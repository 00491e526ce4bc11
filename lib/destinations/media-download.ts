import { isInstagramMediaUrl } from "../instagram/post";
import { ShareError } from "./errors";

/**
 * Downloads one Instagram media file, for a service that takes bytes rather than a URL (or could
 * not fetch the URL itself). The Blob is handed to the upload as is: the bytes are held once.
 */
export type MediaDownload = (url: string) => Promise<Blob>;

/** The largest file downloaded for an upload: Facebook's one-request video limit, over any other's. */
export const MAX_MEDIA_BYTES = 1024 ** 3;

/**
 * Downloads media from Instagram's CDN (and nowhere else). The answer is read as a Blob, which the
 * browser may keep on disk, and is passed on without being copied. `triedFirst`: the service that
 * could not fetch the URL itself, named in the failure ("Neither Facebook nor the extension…").
 */
export function createMediaDownload(
  fetchImpl: typeof fetch,
  timeoutMs: number,
  triedFirst?: string,
): MediaDownload {
  const unreachable = (why: string) =>
    new ShareError(
      "media-unreachable",
      triedFirst
        ? `Neither ${triedFirst} nor the extension could get the media: ${why}`
        : `alsoshare could not get the media from Instagram: ${why}`,
    );
  return async (url) => {
    if (!isInstagramMediaUrl(url)) throw unreachable("it is not on Instagram's servers.");
    let response: Response;
    try {
      response = await fetchImpl(url, { credentials: "omit", signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new ShareError("transient", "Could not download the media from Instagram (network error).");
    }
    if (!response.ok) throw unreachable(`Instagram answered HTTP ${response.status}.`);
    if (Number(response.headers.get("content-length")) > MAX_MEDIA_BYTES) {
      throw unreachable("the file is larger than 1 GB, more than any service takes in one upload.");
    }
    return response.blob();
  };
}
