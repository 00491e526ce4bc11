import type { PublishedPost } from "./post";

/** The post's page on Instagram. Apart from post.ts so the content script ships none of its zod. */
export function permalinkOf(post: Pick<PublishedPost, "code" | "kind">): string {
  return `https://www.instagram.com/${post.kind === "reel" ? "reel" : "p"}/${post.code}/`;
}
