import { defineUnlistedScript } from "wxt/utils/define-unlisted-script";
import { POPUP_PAGE } from "@/components/popup-sizes";
import { readStoredPopup } from "@/lib/reads/stored-popup";

// A classic script, first in popup.html: it runs while the page is still being parsed, so the store
// is read while the popup's modules (Preact, the checks of every message) load; they take it up.
export default defineUnlistedScript(() => {
  window.alsoshareStoredPopup = readStoredPopup(POPUP_PAGE);
});
