import { render } from "preact";
import { browser } from "wxt/browser";
import "@/components/pages.css";
import { TranslateContext } from "@/components/i18n";
import { Popup } from "@/components/Popup";
import { recentJobs } from "@/lib/db/jobs";
import { translate } from "@/lib/i18n";
import { request } from "@/lib/messages/client";
import { jobView } from "@/lib/messages/views";

render(
  <TranslateContext.Provider value={translate}>
    <Popup
      api={request}
      openOptions={() => void browser.runtime.openOptionsPage()}
      readRecentShares={async (limit) => (await recentJobs(limit)).map(jobView)}
    />
  </TranslateContext.Provider>,
  document.getElementById("app") as HTMLElement,
);
