import { pkFromShortcode } from "./shortcode";

/**
 * A post's own page: `/p/<code>/`, `/reel/<code>/`, and the `/<username>/p/<code>/` form Instagram
 * also links to. Only the path is read, and only the shortcode is taken from it.
 */
const POST_PATH = /^\/(?:[\w.]{1,30}\/)?(?:p|reel)\/([\w-]{1,40})\/?$/;

/** The media pk a post page's path names, or undefined on any other page. */
export function postPkOfPath(pathname: string): string | undefined {
  const code = POST_PATH.exec(pathname)?.[1];
  return code === undefined ? undefined : pkFromShortcode(code);
}

/**
 * Instagram's action bar under the post (like, comment, share, save), found by structure: the first
 * section of the main area holding three icon buttons or more. Class names and labels are not used.
 */
export function findActionBar(root: ParentNode): Element | undefined {
  for (const section of root.querySelectorAll("main section")) {
    if (section.querySelectorAll("[role=button] svg[aria-label], button svg[aria-label]").length >= 3) {
      return section;
    }
  }
  return undefined;
}
