import { render } from "preact";
import "@/components/pages.css";
import { formatOf } from "@/components/format";
import { TranslateContext } from "@/components/i18n";
import { Welcome } from "@/components/Welcome";
import { translate } from "@/lib/i18n";
import { request } from "@/lib/messages/client";

// The page speaks our strings' language, and mirrors for a right-to-left one.
const { locale, dir } = formatOf(translate);
document.documentElement.lang = locale ?? "en";
document.documentElement.dir = dir;

render(
  <TranslateContext.Provider value={translate}>
    <Welcome api={request} now={Date.now} />
  </TranslateContext.Provider>,
  document.getElementById("app") as HTMLElement,
);
