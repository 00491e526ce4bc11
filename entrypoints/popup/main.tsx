import { render } from "preact";
import { browser } from "wxt/browser";
import "@/components/pages.css";
import { formatOf } from "@/components/format";
import { TranslateContext } from "@/components/i18n";
import { Popup } from "@/components/Popup";
import { translate } from "@/lib/i18n";
import { request } from "@/lib/messages/client";
import { subscribe } from "@/lib/messages/subscribe";
import { popupStateOf } from "@/lib/reads/popup";

// The store, read while this page's modules loaded (popup-read.js): it paints while a stopped
// background starts. Without it, the background's answer paints alone.
const peeked = (window.alsoshareStoredPopup ?? Promise.resolve(undefined)).then(popupStateOf);

// The page speaks our strings' language, and mirrors for a right-to-left one.
const { locale, dir } = formatOf(translate);
document.documentElement.lang = locale ?? "en";
document.documentElement.dir = dir;

render(
  <TranslateContext.Provider value={translate}>
    <Popup
      api={request}
      subscribe={subscribe}
      peekState={() => peeked}
      openOptions={() => void browser.runtime.openOptionsPage()}
    />
  </TranslateContext.Provider>,
  document.getElementById("app") as HTMLElement,
);
