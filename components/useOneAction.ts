import { useState } from "preact/hooks";
import { errorMessage } from "./useApi";

/** A line at the top of a page: what an action did, or why it failed. */
export interface Notice {
  text: string;
  error: boolean;
}

/**
 * One action at a time, as a form's buttons want: `busy` while it runs (the buttons wait), and its
 * failure becomes the page's notice.
 */
export function useOneAction(onNotice: (notice: Notice) => void) {
  const [busy, setBusy] = useState(false);
  const fail = (reason: unknown) => onNotice({ text: errorMessage(reason), error: true });
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (reason) {
      fail(reason);
    } finally {
      setBusy(false);
    }
  };
  return { busy, run, fail };
}
