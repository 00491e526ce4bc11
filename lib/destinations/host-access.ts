import { ShareError } from "./errors";

/** The part of `browser.permissions` this module needs, so tests pass a fake. */
export interface OriginPermissions {
  contains(permissions: { origins: string[] }): Promise<boolean>;
}

/** The host permission pattern for one origin (`https://host/*`). */
export function originPattern(origin: string): string {
  return `${new URL(origin).origin}/*`;
}

/**
 * A fetch that calls a service only while the user lets us reach its host: the hosts of other
 * services (a Bluesky PDS, a Mastodon instance, Threads) are asked for at link time, not in the
 * manifest, and the user can take them back. Without it nothing is sent (so nothing can have
 * reached the service), and the share waits and says how to allow it again.
 */
export function withOriginAccess(fetchImpl: typeof fetch, permissions: OriginPermissions): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const allowed = await permissions.contains({ origins: [originPattern(url.origin)] }).catch(() => false);
    if (!allowed) {
      throw new ShareError(
        "transient",
        `alsoshare can't reach ${url.host}: allow access to it in the extension's permissions, or link the account again.`,
        { hostAccessMissing: true },
      );
    }
    return fetchImpl(input, init);
  };
}

export interface HostPermissionEvents {
  onAdded: {
    addListener(listener: (permissions: { origins?: string[] }) => void): void;
    removeListener(listener: (permissions: { origins?: string[] }) => void): void;
  };
}

/**
 * Calls `onGranted` when the user gives a host to alsoshare (Facebook's back, or another service's
 * server), so the shares that waited for it go.
 */
export function watchHostAccess(
  events: HostPermissionEvents,
  onGranted: () => void,
  signal: AbortSignal,
): void {
  const listener = (permissions: { origins?: string[] }) => {
    if (permissions.origins?.length) onGranted();
  };
  events.onAdded.addListener(listener);
  signal.addEventListener("abort", () => events.onAdded.removeListener(listener), { once: true });
}
