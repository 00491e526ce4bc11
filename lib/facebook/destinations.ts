import type { Destination } from "../destinations/destination";
import type { MediaDownload } from "../destinations/media-download";
import type { GraphClient } from "./graph";
import { createFacebookPages } from "./page-destination";
import { createShareDialog } from "./profile-destination";

export interface FacebookDeps {
  graph: GraphClient;
  /** Fetches Instagram's copy of a media file when Facebook cannot fetch it (the `source` fallback). */
  download: MediaDownload;
  openTab: (url: string) => Promise<void>;
  appId: () => Promise<string | undefined>;
}

/** Facebook's two destinations, by the kind of account they serve. */
export function facebookDestinations(deps: FacebookDeps): { page: Destination; profile: Destination } {
  return {
    page: createFacebookPages(deps),
    profile: createShareDialog(deps),
  };
}
