/** Facebook's share dialogs for a personal profile: the user confirms the post in Facebook itself. */
const INSTAGRAM_PERMALINK = /^https:\/\/www\.instagram\.com\/(p|reel)\/[\w-]{5,40}\/$/;

/**
 * The dialog that shares a link to the Instagram post. With the user's own Meta app id, the Feed
 * dialog (`dialog/share`) is used; without one, `sharer.php`, which needs none.
 */
export function shareDialogUrl(permalink: string, appId?: string): string {
  if (!INSTAGRAM_PERMALINK.test(permalink)) throw new Error("Only Instagram post links can be shared.");
  if (appId !== undefined && /^\d{5,20}$/.test(appId)) {
    const url = new URL("https://www.facebook.com/dialog/share");
    url.searchParams.set("app_id", appId);
    url.searchParams.set("href", permalink);
    url.searchParams.set("display", "popup");
    return url.href;
  }
  const url = new URL("https://www.facebook.com/sharer/sharer.php");
  url.searchParams.set("u", permalink);
  return url.href;
}
