import { useState } from "preact/hooks";
import type { Notice } from "./AccountsSection";
import { errorMessage } from "./useApi";

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
