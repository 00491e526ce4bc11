import { render } from "preact";
import "@/components/pages.css";
import { TranslateContext } from "@/components/i18n";
import { Options } from "@/components/Options";
import { request } from "@/lib/messages/client";
import { translate } from "@/lib/i18n";

render(
  <TranslateContext.Provider value={translate}>
    <Options api={request} />
  </TranslateContext.Provider>,
  document.getElementById("app") as HTMLElement,
);
