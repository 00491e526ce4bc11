import { browser } from "wxt/browser";
import { type About, buildDiagnostics, DIAGNOSTIC_RECORDS } from "../data/diagnostics";
import {
  buildExport,
  exportFileName,
  ImportError,
  mergeImportedAccounts,
  parseExportFile,
} from "../data/transfer";
import { listAccounts } from "../db/accounts";
import { readDiagnosticRecords } from "../db/diagnostics";
import { clearAllData, writeImport } from "../db/transfer";
import { MessageError } from "../messages/protocol";
import { readPopupState } from "../reads/popup";
import { loadSettings } from "../settings/store";
import type { HandlerDeps, HandlersFor } from "./deps";

function currentAbout(): About {
  return { extensionVersion: browser.runtime.getManifest().version, browser: navigator.userAgent };
}

/** The popup's overview, and the user's data as a whole: export, import, delete, diagnose. */
export function createDataHandlers(
  deps: Pick<HandlerDeps, "now" | "onDataReplaced">,
  about: () => About = currentAbout,
): HandlersFor<"popup.state" | "data.export" | "data.import" | "data.clear" | "data.diagnostics"> {
  return {
    async "popup.state"({ limit }) {
      return readPopupState(limit, await loadSettings());
    },

    async "data.export"({ includeTokens }) {
      const [settings, accounts] = await Promise.all([loadSettings(), listAccounts()]);
      const now = deps.now();
      const file = buildExport(settings, accounts, { includeTokens, now });
      return { fileName: exportFileName(now), text: `${JSON.stringify(file, null, 2)}\n` };
    },

    async "data.import"({ text }) {
      let file: ReturnType<typeof parseExportFile>;
      try {
        file = parseExportFile(text);
      } catch (error) {
        if (error instanceof ImportError) throw new MessageError("bad-request", error.message);
        throw error;
      }
      const count = file.accounts.length;
      // An imported file never gives nor takes away this browser's consent.
      const { consent } = await loadSettings();
      await writeImport({ ...file.settings, consent }, (stored) => mergeImportedAccounts(file, stored), {
        at: deps.now(),
        type: "data",
        message: `Imported settings and ${count} account${count === 1 ? "" : "s"} from a file.`,
      });
      deps.onDataReplaced();
      return { accounts: count };
    },

    async "data.clear"() {
      await clearAllData({
        at: deps.now(),
        type: "data",
        message: "All alsoshare data in this browser was deleted.",
      });
      deps.onDataReplaced();
      return null;
    },

    async "data.diagnostics"() {
      return buildDiagnostics(about(), await readDiagnosticRecords(DIAGNOSTIC_RECORDS));
    },
  };
}
