import type { DestinationLimits } from "../destinations/destination";
import { NotShareableError } from "../destinations/errors";
import type { MediaItem } from "../instagram/post";

/** "Text posts are limited to 500 characters" (Threads Posts, Limitations). */
export const THREADS_TEXT_LIMIT = 500;
/** A carousel holds 2 to 20 images and videos, mixed as they come (Threads Posts, Carousel Posts). */
export const THREADS_CAROUSEL_ITEMS = 20;
/** Threads takes videos longer than 0 and up to 300 seconds (Media Specifications). */
export const THREADS_VIDEO_SECONDS = { min: 0, max: 300 } as const;
/** The longest alt text Threads takes on an image or a video. */
export const THREADS_ALT_TEXT_LIMIT = 1000;
/** Posts a profile may publish through the API in any 24 hours; a carousel counts as one (Overview). */
export const THREADS_POSTS_PER_DAY = 250;
export const THREADS_WINDOW_MS = 24 * 60 * 60_000;

export const THREADS_LIMITS: DestinationLimits = {
  // Threads counts characters, an emoji as its UTF-8 bytes: `threadsTextLength` says what it takes.
  text: { max: THREADS_TEXT_LIMIT, counts: "code-points" },
  images: THREADS_CAROUSEL_ITEMS,
  videos: THREADS_CAROUSEL_ITEMS,
  mixed: true,
  videoSeconds: THREADS_VIDEO_SECONDS,
  // A reply to the post could carry it; not made yet.
  firstComment: false,
};

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const encoder = new TextEncoder();

/**
 * The text's length as Threads counts it: "Emojis are counted as the number of UTF-8 bytes"
 * (Threads Posts, Limitations), every other character as one. An emoji is taken whole, with its
 * joiners and modifiers, so the count never falls short of Threads'.
 */
export function threadsTextLength(text: string): number {
  let length = 0;
  for (const { segment } of segmenter.segment(text)) {
    length += PICTOGRAPHIC.test(segment) ? encoder.encode(segment).length : [...segment].length;
  }
  return length;
}

/** Refuses, before any call, a post Threads would not take as it is. */
export function refuseWhatThreadsWouldNotTake(text: string, media: readonly MediaItem[]): void {
  const length = threadsTextLength(text);
  if (length > THREADS_TEXT_LIMIT) {
    throw new NotShareableError(
      `Threads takes ${THREADS_TEXT_LIMIT} characters and counts each emoji as several; this text counts ${length}, so it was not sent to Threads. Post it there with a shorter text from the Threads app.`,
    );
  }
  const tooLong = media.find(
    (item) =>
      item.type === "video" && item.duration !== undefined && item.duration > THREADS_VIDEO_SECONDS.max,
  );
  if (tooLong?.duration !== undefined) {
    throw new NotShareableError(
      `Threads takes videos of up to ${THREADS_VIDEO_SECONDS.max / 60} minutes; ${media.length > 1 ? "a video in this carousel" : "this one"} is ${minutesAndSeconds(Math.ceil(tooLong.duration))}, so nothing was sent.`,
    );
  }
}

/** The alt text Threads takes, cut to its limit with an ellipsis. */
export function altTextForThreads(alt: string | undefined): string | undefined {
  if (!alt) return undefined;
  const characters = [...alt];
  if (characters.length <= THREADS_ALT_TEXT_LIMIT) return alt;
  return `${characters.slice(0, THREADS_ALT_TEXT_LIMIT - 1).join("")}…`;
}

function minutesAndSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
