import { render } from "preact";
import "@/components/pages.css";
import { TranslateContext } from "@/components/i18n";
import { Options } from "@/components/Options";
import { translate } from "@/lib/i18n";
import { request } from "@/lib/messages/client";

render(
  <TranslateContext.Provider value={translate}>
    <Options api={request} />
  </TranslateContext.Provider>,
  document.getElementById("app") as HTMLElement,
);
