import { describe, expect, it } from "vitest";
import { WELCOME_PAGE, welcomeOnInstall } from "@/lib/handlers/first-run";
import { updateSettings } from "@/lib/settings/store";
import { giveConsent } from "../../support/fixtures";

async function opened(reason: string): Promise<string[]> {
  const pages: string[] = [];
  await welcomeOnInstall(reason, async (path) => {
    pages.push(path);
  });
  return pages;
}

describe("the first-run page", () => {
  it("opens on a new install, and on an update that finds no consent; never on a browser update", async () => {
    expect(await opened("install")).toEqual([WELCOME_PAGE]);
    expect(await opened("update")).toEqual([WELCOME_PAGE]);
    expect(await opened("browser_update")).toEqual([]);
    await giveConsent();
    expect(await opened("update")).toEqual([]);
  });

  it("does not open again on a reinstall that kept the consent; after “Not now” a reinstall asks again", async () => {
    await giveConsent();
    expect(await opened("install")).toEqual([]);
    await updateSettings({ consent: { readInstagram: false, at: 1 } });
    expect(await opened("install")).toEqual([WELCOME_PAGE]);
  });
});
