/**
 * Runs in Instagram's own JS world (MAIN), so it is dependency-free and tiny. It picks the few fields
 * we need out of a configure answer; the background reads them again (readPublish, publishedPostSchema).
 */
export const CONFIGURE_PATH =
  /\/api\/v1\/media\/(configure|configure_sidecar|configure_to_clips|configure_to_story)\/?(\?|$)/;

export type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

function bestMedia(media: Json): Json | undefined {
  // Instagram answers `null` where the user wrote no alt text, and may give no length (or 0). A
  // field of the wrong type is left out rather than making the whole post unreadable.
  const alt = typeof media.accessibility_caption === "string" ? media.accessibility_caption : undefined;
  const duration = typeof media.video_duration === "number" ? media.video_duration || undefined : undefined;
  const videos = media.video_versions;
  if (Array.isArray(videos) && isObject(videos[0])) {
    const { url, width, height } = videos[0];
    return { type: "video", url, width, height, duration, alt };
  }
  const images = isObject(media.image_versions2) ? media.image_versions2.candidates : undefined;
  if (Array.isArray(images) && isObject(images[0])) {
    return { type: "image", url: images[0].url, width: images[0].width, height: images[0].height, alt };
  }
  return undefined;
}

function kindOf(endpoint: string | undefined, media: Json): string {
  if (endpoint === "configure_sidecar" || media.media_type === 8) return "carousel";
  if (endpoint === "configure_to_story" || media.product_type === "story") return "story";
  if (endpoint === "configure_to_clips" || media.product_type === "clips") return "reel";
  return media.media_type === 2 ? "video" : "photo";
}

// The request's fields: form-encoded for configure/, configure_to_clips/ and configure_to_story/,
// JSON for configure_sidecar/.
function requestFields(body: unknown): Json {
  if (typeof body !== "string") return {};
  try {
    const json: unknown = body.trimStart().startsWith("{") ? JSON.parse(body) : undefined;
    return isObject(json) ? json : Object.fromEntries(new URLSearchParams(body));
  } catch {
    return {};
  }
}

// Where Instagram itself posted this post on Facebook (its Accounts Center cross-post): asked for in
// the request (`share_to_facebook` "1", a `USER` or `PAGE` destination) and confirmed by the answer.
function instagramSharedTo(requestBody: unknown, media: Json): Json | undefined {
  const request = requestFields(requestBody);
  const confirmed =
    media.has_shared_to_fb === true ||
    media.has_shared_to_fb === 1 ||
    (Array.isArray(media.crosspost) && media.crosspost.includes("FB"));
  if (String(request.share_to_facebook ?? "") !== "1" || !confirmed) return undefined;
  const type = request.share_to_fb_destination_type;
  const fbid = isObject(media.crosspost_metadata) ? media.crosspost_metadata.fb_crosspost_fbid : undefined;
  // A number this long may have lost digits on its way through JSON: only a string is kept.
  const postId = typeof fbid === "string" ? fbid : undefined;
  if (type === "USER") return { type: "user" };
  if (type === "PAGE") return { type: "page", id: String(request.share_to_fb_destination_id ?? ""), postId };
  return undefined;
}

/**
 * The fields we share of one Instagram media, as configure answers and media/info answers both
 * carry it. `endpoint`, when known, is the configure call that made it.
 */
export function summarizeMedia(media: Json, endpoint?: string): Json {
  const items = Array.isArray(media.carousel_media) ? media.carousel_media.filter(isObject) : [media];
  return {
    // pk outgrows a JS number; the string id "<pk>_<owner>" keeps every digit.
    pk:
      typeof media.pk === "string"
        ? media.pk
        : typeof media.id === "string"
          ? media.id.split("_")[0]
          : String(media.pk),
    code: media.code,
    kind: kindOf(endpoint, media),
    caption: isObject(media.caption) && typeof media.caption.text === "string" ? media.caption.text : "",
    media: items.map(bestMedia).filter(Boolean),
  };
}

/**
 * The summary of one successful configure answer, or undefined for anything else. `requestBody` is
 * the body the page sent, read only for Instagram's own share-to-Facebook fields.
 */
export function summarizeConfigureAnswer(
  url: string,
  answer: unknown,
  requestBody?: unknown,
): Json | undefined {
  const endpoint = CONFIGURE_PATH.exec(url)?.[1];
  if (!endpoint || !isObject(answer) || answer.status !== "ok" || !isObject(answer.media)) return undefined;
  return {
    ...summarizeMedia(answer.media, endpoint),
    instagramSharedTo: instagramSharedTo(requestBody, answer.media),
  };
}
