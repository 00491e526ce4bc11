import { render } from "preact";
import { browser } from "wxt/browser";
import "@/components/pages.css";
import { formatOf } from "@/components/format";
import { TranslateContext } from "@/components/i18n";
import { POPUP_PAGE, Popup } from "@/components/Popup";
import { translate } from "@/lib/i18n";
import { request } from "@/lib/messages/client";
import { subscribe } from "@/lib/messages/subscribe";
import { peekPopupState } from "@/lib/reads/popup";

// Read now, before the first render: a background stopped by the browser takes tens of ms to answer.
const peeked = peekPopupState(POPUP_PAGE);
const peekState = () => peeked;

// The page speaks our strings' language, and mirrors for a right-to-left one.
const { locale, dir } = formatOf(translate);
document.documentElement.lang = locale ?? "en";
document.documentElement.dir = dir;

render(
  <TranslateContext.Provider value={translate}>
    <Popup
      api={request}
      subscribe={subscribe}
      peekState={peekState}
      openOptions={() => void browser.runtime.openOptionsPage()}
    />
  </TranslateContext.Provider>,
  document.getElementById("app") as HTMLElement,
);
