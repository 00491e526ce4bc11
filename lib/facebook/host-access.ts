import { GraphError } from "./errors";
import type { GraphClient } from "./graph";

/** The host permission every Graph call needs; it is in the manifest, and the user can take it back. */
export const GRAPH_HOST_PERMISSION = "https://graph.facebook.com/*";
/** The same for a reel's upload to Facebook's upload host. */
export const RUPLOAD_HOST_PERMISSION = "https://rupload.facebook.com/*";

export const HOST_ACCESS_MESSAGE =
  "alsoshare can't reach Facebook: allow access to graph.facebook.com and rupload.facebook.com in the extension's permissions.";

/** The part of `browser.permissions` this module needs, so tests pass a fake. */
export interface HostPermissions {
  contains(permissions: { origins: string[] }): Promise<boolean>;
}

/** Whether the user still lets us reach graph.facebook.com (or the upload host). A failing API counts as "no". */
export async function hasGraphAccess(
  permissions: HostPermissions,
  origin: string = GRAPH_HOST_PERMISSION,
): Promise<boolean> {
  try {
    return await permissions.contains({ origins: [origin] });
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
      const origin = request.host === "rupload" ? RUPLOAD_HOST_PERMISSION : GRAPH_HOST_PERMISSION;
      if (!(await hasGraphAccess(permissions, origin))) {
        throw new GraphError("transient", HOST_ACCESS_MESSAGE, { hostAccessMissing: true });
      }
      return client.call(request);
    },
  };
}
