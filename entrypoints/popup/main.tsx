import { render } from "preact";
import { browser } from "wxt/browser";
import "@/components/pages.css";
import { TranslateContext } from "@/components/i18n";
import { Popup } from "@/components/Popup";
import { translate } from "@/lib/i18n";
import { request, subscribe } from "@/lib/messages/client";

render(
  <TranslateContext.Provider value={translate}>
    <Popup api={request} subscribe={subscribe} openOptions={() => void browser.runtime.openOptionsPage()} />
  </TranslateContext.Provider>,
  document.getElementById("app") as HTMLElement,
);
