import { render } from "preact";
import { browser } from "wxt/browser";
import "@/components/pages.css";
import { formatOf } from "@/components/format";
import { TranslateContext } from "@/components/i18n";
import { Options } from "@/components/Options";
import { translate } from "@/lib/i18n";
import { request } from "@/lib/messages/client";
import { subscribe } from "@/lib/messages/subscribe";
import { requestNotificationPermission } from "@/lib/queue/notify";

// The export becomes a file the browser saves; the object URL lives only for that click.
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// The page speaks our strings' language, and mirrors for a right-to-left one.
const { locale, dir } = formatOf(translate);
document.documentElement.lang = locale ?? "en";
document.documentElement.dir = dir;

render(
  <TranslateContext.Provider value={translate}>
    <Options
      api={request}
      subscribe={subscribe}
      download={download}
      copy={(text) => navigator.clipboard.writeText(text)}
      requestNotifications={() => requestNotificationPermission(browser.permissions)}
      requestHosts={(origins) => browser.permissions.request({ origins })}
    />
  </TranslateContext.Provider>,
  document.getElementById("app") as HTMLElement,
);
