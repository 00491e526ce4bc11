import { FACEBOOK_MESSAGE_LIMIT } from "../caption/message";
import type { Destination } from "../destinations/destination";
import { posted, refused } from "../destinations/outcomes";
import { shareDialogUrl } from "./share-dialog";

/**
 * The Facebook profile: no API posts to it, so Facebook's own share dialog opens in a new tab with
 * the Instagram post's link, and the user confirms the post there.
 */
export function createShareDialog(deps: {
  /** Opens the dialog (a new browser tab). */
  openTab: (url: string) => Promise<void>;
  /** The user's own Meta app id, if stored: the dialog is then Facebook's Feed dialog. */
  appId: () => Promise<string | undefined>;
}): Destination {
  return {
    service: "facebook",
    signIn: "none",
    limits: () => ({
      text: { max: FACEBOOK_MESSAGE_LIMIT, counts: "code-points" },
      images: 0,
      videos: 0,
      mixed: false,
      firstComment: false,
    }),
    async send({ job }) {
      try {
        const url = shareDialogUrl(job.permalink, await deps.appId());
        await deps.openTab(url);
        return posted({ postId: "", url });
      } catch {
        return refused("share-dialog", "Could not open Facebook's share dialog. Press Retry to try again.");
      }
    },
    // The dialog posts nothing by itself: whatever an earlier attempt did, the user confirmed it or not.
    findEarlier: async () => "nothing-out",
    words: {
      permission: (name, says) => `Facebook did not let ${name} share this: ${says}`,
      unconfirmed: (_job, name) =>
        `alsoshare cannot tell whether this post reached ${name}. Check your profile: if it is there, choose “It's there”; if not, press Retry to open the share dialog again.`,
    },
  };
}
