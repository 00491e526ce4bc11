import { GraphError } from "./errors";
import type { GraphClient } from "./graph";

/** The host permission every Graph call needs; it is in the manifest, and the user can take it back. */
export const GRAPH_HOST_PERMISSION = "https://graph.facebook.com/*";

export const HOST_ACCESS_MESSAGE =
  "alsoshare can't reach Facebook: allow access to graph.facebook.com in the extension's permissions.";

/** The part of `browser.permissions` this module needs, so tests pass a fake. */
export interface HostPermissions {
  contains(permissions: { origins: string[] }): Promise<boolean>;
}

export interface HostPermissionEvents {
  onAdded: {
    addListener(listener: (permissions: { origins?: string[] }) => void): void;
    removeListener(listener: (permissions: { origins?: string[] }) => void): void;
  };
}

/** Whether the user still lets us reach graph.facebook.com. A failing API counts as "no". */
export async function hasGraphAccess(permissions: HostPermissions): Promise<boolean> {
  try {
    return await permissions.contains({ origins: [GRAPH_HOST_PERMISSION] });
  } catch {
    return false;
  }
}

/**
 * A Graph client that checks the host permission before each call. Without it the call is not
 * made (so nothing can have reached Facebook) and fails like an unreachable network: the queue
 * keeps the job waiting with back-off and shows the sentence that says how to allow access again.
 */
export function withHostAccess(client: GraphClient, permissions: HostPermissions): GraphClient {
  return {
    async call(request) {
      if (!(await hasGraphAccess(permissions))) {
        throw new GraphError("transient", HOST_ACCESS_MESSAGE, { hostAccessMissing: true });
      }
      return client.call(request);
    },
  };
}

/** Calls `onGranted` when the user gives the Graph host back, so waiting shares can go. */
export function watchGraphAccess(
  events: HostPermissionEvents,
  onGranted: () => void,
  signal: AbortSignal,
): void {
  const listener = (permissions: { origins?: string[] }) => {
    if (permissions.origins?.some((origin) => origin === GRAPH_HOST_PERMISSION)) onGranted();
  };
  events.onAdded.addListener(listener);
  signal.addEventListener("abort", () => events.onAdded.removeListener(listener), { once: true });
}
