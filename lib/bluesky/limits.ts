import type { DestinationLimits } from "../destinations/destination";
import { NotShareableError } from "../destinations/errors";
import type { MediaItem } from "../instagram/post";

/** A post's text: at most 300 graphemes and 3,000 bytes (app.bsky.feed.post, `text`). */
export const BLUESKY_TEXT_GRAPHEMES = 300;
export const BLUESKY_TEXT_BYTES = 3000;
/** At most 4 images in a post (app.bsky.embed.images). */
export const BLUESKY_IMAGES = 4;
/**
 * An image blob's size. The lexicon takes 2 MB since April 2026 (atproto #4823, "formerly limited
 * to 1 MB"), but a PDS checks a post against the lexicons it was built with, and a PDS of one's
 * own may be older: 1 MB goes everywhere.
 */
export const BLUESKY_IMAGE_BYTES = 1_000_000;
/**
 * A video blob's size through the PDS's uploadBlob: the lexicon took 100 MB from March 2025 and
 * takes 300 MB since August 2026; the PDS's own upload limit decides too, and says so (413).
 */
export const BLUESKY_VIDEO_BYTES = 100_000_000;
/** Bluesky's own app takes videos of up to 10 minutes (social-app's VIDEO_MAX_DURATION_MS). */
export const BLUESKY_VIDEO_SECONDS = { min: 0, max: 600 } as const;
/** An older lexicon's bound for a video's alt text (1,000 graphemes), which older PDSes still check. */
export const BLUESKY_VIDEO_ALT_GRAPHEMES = 1000;

export const BLUESKY_LIMITS: DestinationLimits = {
  text: { max: BLUESKY_TEXT_GRAPHEMES, counts: "graphemes" },
  images: BLUESKY_IMAGES,
  videos: 1,
  mixed: false,
  videoSeconds: BLUESKY_VIDEO_SECONDS,
  // A reply to the post could carry it; not made.
  firstComment: false,
};

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/** The first `max` graphemes of the text, with an ellipsis when it was longer. */
export function cutToGraphemes(text: string, max: number): string {
  const all = Array.from(graphemes.segment(text), (part) => part.segment);
  return all.length <= max ? text : `${all.slice(0, max - 1).join("")}…`;
}

/** What of the Instagram post goes to Bluesky: up to 4 photos, or one video, never both. */
export interface BlueskyMedia {
  images: MediaItem[];
  video?: MediaItem;
  /** Left out, in words for the activity log ("its 2 videos", "its last 3 photos"); none: undefined. */
  leftOut?: string;
}

/** Refuses, before any call, a post Bluesky would not take as it is; answers what goes. */
export function mediaForBluesky(kind: string, text: string, media: readonly MediaItem[]): BlueskyMedia {
  const length = graphemeCount(text);
  if (length > BLUESKY_TEXT_GRAPHEMES) {
    throw new NotShareableError(
      `Bluesky takes ${BLUESKY_TEXT_GRAPHEMES} characters in a post and this text has ${length}, so nothing was sent to Bluesky. Post it there from the Bluesky app with a shorter text.`,
    );
  }
  if (new TextEncoder().encode(text).length > BLUESKY_TEXT_BYTES) {
    throw new NotShareableError(
      `Bluesky takes ${BLUESKY_TEXT_BYTES.toLocaleString("en")} bytes of text in a post, and this text's emoji take more, so nothing was sent to Bluesky. Post it there from the Bluesky app with a shorter text.`,
    );
  }
  const photos = media.filter((item) => item.type === "image");
  const videos = media.filter((item) => item.type === "video");
  const chosen = pick(kind, photos, videos);
  if (!chosen.images.length && !chosen.video) {
    throw new NotShareableError(
      `Instagram gave no ${kind === "photo" ? "photo" : kind === "carousel" ? "photo or video" : "video"} to share, so nothing was sent to Bluesky.`,
    );
  }
  const seconds = chosen.video?.duration;
  if (seconds !== undefined && seconds > BLUESKY_VIDEO_SECONDS.max) {
    throw new NotShareableError(
      `Bluesky takes videos of up to ${BLUESKY_VIDEO_SECONDS.max / 60} minutes; this one is ${minutesAndSeconds(Math.ceil(seconds))}, so nothing was sent to Bluesky.`,
    );
  }
  return chosen;
}

function pick(kind: string, photos: MediaItem[], videos: MediaItem[]): BlueskyMedia {
  const [firstVideo] = videos;
  if (kind === "photo") return { images: photos.slice(0, 1) };
  if (kind === "video" || kind === "reel") return { images: [], ...(firstVideo && { video: firstVideo }) };
  // A carousel: its photos (a post holds up to 4 images, or one video, never both), else its first video.
  if (photos.length === 0) {
    const extra = videos.length - 1;
    return {
      images: [],
      ...(firstVideo && { video: firstVideo }),
      ...(extra > 0 && { leftOut: extra === 1 ? "its second video" : `its other ${extra} videos` }),
    };
  }
  const overflow = photos.length - BLUESKY_IMAGES;
  const parts = [
    ...(videos.length ? [videos.length === 1 ? "its video" : `its ${videos.length} videos`] : []),
    ...(overflow > 0 ? [overflow === 1 ? "its last photo" : `its last ${overflow} photos`] : []),
  ];
  return {
    images: photos.slice(0, BLUESKY_IMAGES),
    ...(parts.length && { leftOut: parts.join(" and ") }),
  };
}

function minutesAndSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
