import type { Settings } from "@/lib/messages/views";

/** The kinds of post the user can set auto-share for, with their label key, in display order. */
export const KINDS: readonly (readonly [keyof Settings["autoShare"], string])[] = [
  ["photo", "kindPhoto"],
  ["carousel", "kindCarousel"],
  ["video", "kindVideo"],
  ["reel", "kindReel"],
  ["story", "kindStory"],
];
