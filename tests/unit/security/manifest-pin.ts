/**
 * What alsoshare may do, as the manifest says it. Every entry is here because a feature needs it;
 * a new permission, host or content script fails the manifest tests until it is added here with
 * its reason, so it is always a deliberate change.
 */
export const PINNED_PERMISSIONS = {
  // Wakes the share queue when a retry or a back-off is due, across worker restarts.
  alarms: "the queue's timed retries",
  // Facebook Login, and Mastodon's and Threads' sign-in, in the browser's own window
  // (identity.launchWebAuthFlow), to link accounts.
  identity: "Facebook Login and the other services' sign-in",
  // storage.session (memory only, our own pages and worker only) holds a login in progress.
  storage: "the Page picker after Facebook Login",
} as const;

export const PINNED_OPTIONAL_PERMISSIONS = {
  // Asked for from the options page only when the user turns share notifications on.
  notifications: "optional share notifications",
} as const;

export const PINNED_HOST_PERMISSIONS = {
  // Every share and every Page link is a Graph API call; nothing else on facebook.com is fetched.
  "https://graph.facebook.com/*": "the Graph API",
  // Reels go to a Page through Facebook's upload host: the hosted file's URL, not its bytes.
  "https://rupload.facebook.com/*": "Facebook's upload host, for reels",
  // When Facebook cannot fetch a post's media by URL, the worker downloads it from Instagram's CDN
  // and uploads the bytes (the `source` fallback).
  "https://*.cdninstagram.com/*": "Instagram's CDN, for the upload fallback",
  "https://*.fbcdn.net/*": "Instagram's CDN (fbcdn), for the upload fallback",
} as const;

/**
 * The other services' servers (a Mastodon instance, a Bluesky PDS, Threads' API) are any host the
 * user names, so none is in host_permissions: the options page asks for the one server being
 * linked, in the click, and the background calls a service only while its host is granted.
 * Nothing is granted by installing.
 */
export const PINNED_OPTIONAL_HOST_PERMISSIONS = {
  "https://*/*": "the server of an account on another service, asked for one at a time at link time",
} as const;

/** Our pages run only our own files: no inline or remote script, no plugins, no framing. */
export const PINNED_CSP = "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The two content scripts, both on Instagram only, top frame only (no all_frames). */
export const PINNED_CONTENT_SCRIPTS = [
  // The switch and the status line, in our isolated world.
  { matches: ["https://www.instagram.com/*"], run_at: "document_start", js: ["content-scripts/composer.js"] },
  // Reads Instagram's configure answers in the page's world; takes no command.
  {
    matches: ["https://www.instagram.com/*"],
    run_at: "document_start",
    js: ["content-scripts/network.js"],
    world: "MAIN",
  },
];

/** Keys whose mere presence would widen what the page or other extensions can reach. */
export const FORBIDDEN_MANIFEST_KEYS = [
  "web_accessible_resources",
  "externally_connectable",
  "content_security_policy.sandbox",
] as const;
