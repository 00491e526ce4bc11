import { resolve } from "node:path";
import { launchChromium, launchFirefox, waitFor } from "./browsers";
import { type Driver, playwrightDriver, puppeteerDriver } from "./driver";
import { linkPageByToken } from "./flows";
import { type Standins, startStandins } from "./standins";

export type BrowserName = "chromium" | "firefox";
export const BROWSERS: BrowserName[] = ["chromium", "firefox"];

/** The production build, unmodified, as `npm run build` leaves it (in ALSOSHARE_OUT_DIR if set). */
const OUT_DIR = resolve(process.env.ALSOSHARE_OUT_DIR ?? ".output");
export const BUILD_DIRS: Record<BrowserName, string> = {
  chromium: resolve(OUT_DIR, "chrome-mv3"),
  firefox: resolve(OUT_DIR, "firefox-mv3"),
};

const FIRST_RUN = "/welcome.html";

/** One browser with our extension installed, driven the same way whichever it is. */
export interface ExtensionBrowser {
  name: BrowserName;
  newPage(): Promise<Driver>;
  openExtensionPage(path: "options.html" | "popup.html" | "welcome.html" | "privacy.html"): Promise<Driver>;
  /** The tab our install opened by itself (the first-run page), once it is there. */
  firstRunPage(): Promise<Driver>;
  /**
   * The user allows alsoshare to reach these hosts when the browser asks (another service's
   * server): in Chromium through chrome://extensions, in Firefox its prompt answers itself.
   */
  allowHosts(origins: string[]): Promise<void>;
  /** Stops the background (Chrome's worker) as the browser would when idle. */
  stopBackground?(): Promise<void>;
  /**
   * Firefox: removes the add-on, runs `meanwhile` (e.g. opens a tab), and installs it again; Firefox
   * then injects our content scripts into the tabs already open, after their own scripts ran.
   */
  reinstall?(meanwhile?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * A browser with our build, where the user has allowed alsoshare to read their publishes (as the
 * sharing tests need), unless `consent: false` leaves it as a new install is: asked, not given.
 */
export async function launchWithExtension(
  name: BrowserName,
  standins: Standins,
  options: { headless?: boolean; userDataDir?: string; consent?: boolean } = {},
): Promise<ExtensionBrowser> {
  const browser = await launch(name, standins, options);
  if (options.consent !== false) await allowReading(browser);
  return browser;
}

/** The user allows reading their publishes (the consent), answered from one of our pages. */
export async function allowReading(browser: ExtensionBrowser): Promise<void> {
  await saveConsent(await browser.openExtensionPage("options.html"));
}

/** The one place tests give consent: the user's answer, sent from `page`, one of our own. */
export async function saveConsent(page: Driver): Promise<void> {
  const saved = await page.evaluate<boolean>(
    `(async () => {
      const patch = { consent: { readInstagram: true, at: Date.now() } };
      const reply = await (globalThis.browser ?? globalThis.chrome).runtime.sendMessage({ type: "settings.update", payload: { patch } });
      return reply.ok;
    })()`,
  );
  if (!saved) throw new Error("consent was not saved");
}

async function launch(
  name: BrowserName,
  standins: Standins,
  options: { headless?: boolean; userDataDir?: string },
): Promise<ExtensionBrowser> {
  if (name === "chromium") {
    const chromium = await launchChromium({ extensionDir: BUILD_DIRS.chromium, standins, ...options });
    return {
      name,
      newPage: async () => playwrightDriver(await chromium.page()),
      openExtensionPage: async (path) => playwrightDriver(await chromium.openExtensionPage(path)),
      firstRunPage: async () => {
        const opened = () => chromium.context.pages().find((page) => page.url().endsWith(FIRST_RUN));
        await waitFor(() => opened() !== undefined, "the first-run page did not open");
        return playwrightDriver(opened() as NonNullable<ReturnType<typeof opened>>);
      },
      allowHosts: (origins) => chromium.allowHosts(origins),
      stopBackground: () => chromium.stopServiceWorker(),
      close: () => chromium.close(),
    };
  }
  const firefox = await launchFirefox({
    extensionDir: BUILD_DIRS.firefox,
    standins,
    userDataDir: options.userDataDir,
  });
  return {
    name,
    newPage: async () => puppeteerDriver(await firefox.page()),
    openExtensionPage: async (path) => puppeteerDriver(await firefox.openExtensionPage(path)),
    firstRunPage: async () => {
      // Firefox does not report over BiDi where an extension's own tab went: ask each page itself.
      const opened = async () => {
        for (const page of await firefox.browser.pages()) {
          const href = await page.evaluate(() => location.href).catch(() => "");
          if (href.endsWith(FIRST_RUN)) return page;
        }
        return undefined;
      };
      await waitFor(async () => (await opened()) !== undefined, "the first-run page did not open");
      return puppeteerDriver((await opened()) as NonNullable<Awaited<ReturnType<typeof opened>>>);
    },
    // The profile's prefs answer Firefox's prompt (extensions.webextOptionalPermissionPrompts).
    allowHosts: async () => undefined,
    reinstall: (meanwhile) => firefox.reinstall(meanwhile),
    close: () => firefox.close(),
  };
}

export interface LinkedBrowser {
  standins: Standins;
  browser: ExtensionBrowser;
  /** The options page the Page was linked on, still open. */
  options: Driver;
}

/** Stand-ins that know `page`, a browser with our build, and that Page linked by its token. */
export async function startWithLinkedPage(
  name: BrowserName,
  page: { id: string; name: string; token: string },
): Promise<LinkedBrowser> {
  const standins = await startStandins();
  standins.graph.addPage(page);
  const browser = await launchWithExtension(name, standins);
  const options = await browser.openExtensionPage("options.html");
  await linkPageByToken(options, page.token, page.name);
  return { standins, browser, options };
}

export async function stopAll(setup: Partial<LinkedBrowser>): Promise<void> {
  await setup.browser?.close();
  await setup.standins?.stop();
}
