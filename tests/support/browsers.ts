import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page, type Worker } from "playwright-core";
import puppeteer, { type Browser, type Page as PuppeteerPage } from "puppeteer-core";
import type { Standins } from "./standins";

export const GECKO_ID = "alsoshare@alsoshare.app";
/** Fixed internal UUID of the extension in Firefox, so tests know its moz-extension:// origin. */
export const FIREFOX_EXTENSION_UUID = "5b2f7a3c-1d4e-4f60-9a8b-0c1d2e3f4a5b";

export type BrowserLog = { source: string; type: string; text: string; time: number };

export type ChromiumHarness = {
  context: BrowserContext;
  extensionId: string;
  /** Console messages and uncaught errors of pages and the extension's service worker. */
  logs: BrowserLog[];
  page(): Promise<Page>;
  openExtensionPage(path: string): Promise<Page>;
  /** The user allows these hosts in chrome://extensions (Site access). */
  allowHosts(origins: string[]): Promise<void>;
  /** Stops the service worker the way Chrome does when it idles, and waits until it is gone. */
  stopServiceWorker(): Promise<void>;
  /** The running service worker, or the next one to start. */
  serviceWorker(): Promise<Worker>;
  close(): Promise<void>;
};

export type PrivilegedPage = { evaluate(expression: string): Promise<unknown>; close(): Promise<void> };

export type FirefoxHarness = {
  browser: Browser;
  extensionUuid: string;
  /** The add-on id Firefox reported at install. */
  extensionId: string;
  logs: BrowserLog[];
  page(): Promise<PuppeteerPage>;
  openExtensionPage(path: string): Promise<PuppeteerPage>;
  /** Removes the add-on, runs `meanwhile`, and installs it again, as an update would (storage kept). */
  reinstall(meanwhile?: () => Promise<void>): Promise<void>;
  /**
   * Suspends the event page as Firefox does when it idles (about:debugging's "Terminate background
   * script"); the next event starts it again.
   */
  stopBackground(): Promise<void>;
  /** Evaluates `expression` in a privileged page (about:preferences), where Firefox's internals are. */
  privileged(expression: string): Promise<unknown>;
  /** A privileged page kept open, for many evaluations; the tab it opens comes to the front. */
  openPrivileged(): Promise<PrivilegedPage>;
  close(): Promise<void>;
};

const WAIT_MS = 30_000;

export async function launchChromium(options: {
  extensionDir: string;
  standins: Pick<Standins, "chromiumHostRules">;
  headless?: boolean;
  userDataDir?: string;
}): Promise<ChromiumHarness> {
  const ownDir = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), "alsoshare-chromium-")));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: options.headless ?? true,
    // Playwright disables extensions by default; this build must load ours.
    ignoreDefaultArgs: ["--disable-extensions"],
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--disable-extensions-except=${options.extensionDir}`,
      `--load-extension=${options.extensionDir}`,
      `--host-resolver-rules=${options.standins.chromiumHostRules}`,
      "--ignore-certificate-errors",
    ],
  });
  const logs: BrowserLog[] = [];
  const record = (source: string, type: string, text: string) =>
    logs.push({ source, type, text, time: Date.now() });
  context.on("console", (message) =>
    record(message.page()?.url() ?? "worker", message.type(), message.text()),
  );
  context.on("weberror", (error) =>
    record(error.page()?.url() ?? "worker", "pageerror", String(error.error())),
  );

  const isOurs = (worker: Worker) => worker.url().startsWith("chrome-extension://");
  const watched = new WeakSet<Worker>();
  const watch = (worker: Worker) => {
    if (!isOurs(worker) || watched.has(worker)) return;
    watched.add(worker);
    worker.on("console", (message) => record(worker.url(), message.type(), message.text()));
  };
  context.on("serviceworker", watch);

  let extensionId: string;
  try {
    const first =
      context.serviceWorkers().find(isOurs) ??
      (await context.waitForEvent("serviceworker", { predicate: isOurs, timeout: WAIT_MS }));
    watch(first);
    extensionId = new URL(first.url()).host;
  } catch (error) {
    await context.close();
    throw new Error(`the extension in ${options.extensionDir} started no service worker`, { cause: error });
  }

  // Playwright keeps one Worker object across a stop and restart and sends no event for either
  // (seen with Chromium 156), so whether the worker runs is asked of the browser itself.
  const browser = context.browser();
  if (!browser) throw new Error("no browser behind this context");
  const workerRunning = async (): Promise<boolean> => {
    const session = await browser.newBrowserCDPSession();
    try {
      const { targetInfos } = await session.send("Target.getTargets");
      return targetInfos.some(
        (t) => t.type === "service_worker" && t.url.startsWith(`chrome-extension://${extensionId}/`),
      );
    } finally {
      await session.detach();
    }
  };

  const newPage = () => context.newPage();
  return {
    context,
    extensionId,
    logs,
    page: newPage,
    openExtensionPage: async (path) => {
      const page = await newPage();
      await page.goto(`chrome-extension://${extensionId}/${path.replace(/^\//, "")}`);
      return page;
    },
    /**
     * The user lets alsoshare reach these hosts, as in chrome://extensions' Site access: Chrome's
     * own prompt for them is out of any test tool's reach. Our options page then asks, and Chrome
     * answers yes without a prompt, as it does for a host the user already allowed.
     */
    allowHosts: async (origins: string[]) => {
      const page = await newPage();
      try {
        await page.goto("chrome://extensions/");
        await page.evaluate(
          async ({ id, hosts }) => {
            const api = (
              globalThis as unknown as {
                chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } };
              }
            ).chrome.developerPrivate;
            for (const host of hosts) await api.addHostPermission(id, host);
          },
          { id: extensionId, hosts: origins },
        );
      } finally {
        await page.close();
      }
    },
    stopServiceWorker: async () => {
      const page = await newPage();
      try {
        const session = await context.newCDPSession(page);
        await session.send("ServiceWorker.enable");
        // A worker still starting (an event in flight wakes it) is not stopped: ask until none runs.
        await waitFor(async () => {
          if (!(await workerRunning())) return true;
          await session.send("ServiceWorker.stopAllWorkers");
          return false;
        }, "the service worker did not stop");
      } finally {
        await page.close();
      }
    },
    serviceWorker: async () => {
      await waitFor(workerRunning, "no service worker started");
      return (
        context.serviceWorkers().find(isOurs) ??
        (await context.waitForEvent("serviceworker", { predicate: isOurs, timeout: WAIT_MS }))
      );
    },
    close: async () => {
      await context.close();
      if (ownDir) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function launchFirefox(options: {
  extensionDir: string;
  standins: Pick<Standins, "proxyPort">;
  userDataDir?: string;
  /** Sets `extensions.background.idle.timeout`, to make Firefox suspend the event page quickly. */
  idleTimeoutSeconds?: number;
}): Promise<FirefoxHarness> {
  const prefs: Record<string, unknown> = {
    "extensions.webextensions.uuids": JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
    // The add-on is installed as a temporary one, gone at every quit: a relaunch on the same profile
    // installs it again, and must find its IndexedDB as a restarted browser would.
    "extensions.webextensions.keepStorageOnUninstall": true,
    "extensions.webextensions.keepUuidOnUninstall": true,
    // Everything goes through the stand-ins' CONNECT proxy, which refuses what is not a stand-in.
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": options.standins.proxyPort,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": options.standins.proxyPort,
    "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": true,
    "network.proxy.socks_remote_dns": true,
    "network.trr.mode": 5,
    "network.dns.disablePrefetch": true,
    "network.prefetch-next": false,
    "network.http.speculative-parallel-limit": 0,
    "network.captive-portal-service.enabled": false,
    "network.connectivity-service.enabled": false,
    // Stop Firefox phoning home (the proxy would refuse it anyway; this keeps the logs quiet).
    "app.update.enabled": false,
    "app.update.auto": false,
    "app.normandy.enabled": false,
    "app.shield.optoutstudies.enabled": false,
    "browser.safebrowsing.malware.enabled": false,
    "browser.safebrowsing.phishing.enabled": false,
    "browser.safebrowsing.downloads.enabled": false,
    "browser.safebrowsing.provider.mozilla.updateURL": "",
    "browser.region.network.url": "",
    "browser.region.update.enabled": false,
    "browser.newtabpage.enabled": false,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.shell.checkDefaultBrowser": false,
    "browser.ping-centre.telemetry": false,
    "datareporting.healthreport.uploadEnabled": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.enabled": false,
    "toolkit.telemetry.unified": false,
    "toolkit.telemetry.server": "",
    "extensions.update.enabled": false,
    "extensions.getAddons.cache.enabled": false,
    "extensions.blocklist.enabled": false,
    "services.settings.server": "",
    "security.OCSP.enabled": 0,
    "security.remote_settings.crlite_filters.enabled": false,
    "geo.provider.network.url": "",
    "media.gmp-manager.url": "",
    "identity.fxaccounts.enabled": false,
    // The user's "Allow" in Firefox's prompt for an optional permission (another service's server),
    // which puppeteer cannot press.
    "extensions.webextOptionalPermissionPrompts": false,
    ...(options.idleTimeoutSeconds !== undefined && {
      "extensions.background.idle.timeout": options.idleTimeoutSeconds * 1000,
    }),
  };
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    acceptInsecureCerts: true,
    // Without it Firefox 153 refuses to navigate to moz-extension:// pages over BiDi (DESIGN §6).
    args: ["--remote-allow-system-access"],
    extraPrefsFirefox: prefs,
    ...(options.userDataDir !== undefined && { userDataDir: options.userDataDir }),
  });
  const logs: BrowserLog[] = [];
  const watch = (page: PuppeteerPage) => {
    page.on("console", (message) =>
      logs.push({ source: page.url(), type: message.type(), text: message.text(), time: Date.now() }),
    );
    page.on("pageerror", (error) =>
      logs.push({ source: page.url(), type: "pageerror", text: String(error), time: Date.now() }),
    );
  };
  let extensionId: string;
  try {
    extensionId = await browser.installExtension(options.extensionDir);
  } catch (error) {
    await browser.close();
    throw error;
  }

  const newPage = async () => {
    const page = await browser.newPage();
    watch(page);
    return page;
  };
  const harness: FirefoxHarness = {
    browser,
    extensionUuid: FIREFOX_EXTENSION_UUID,
    extensionId,
    logs,
    page: newPage,
    openExtensionPage: async (path) => {
      const page = await newPage();
      const url = `moz-extension://${FIREFOX_EXTENSION_UUID}/${path.replace(/^\//, "")}`;
      // Firefox never reports this navigation as finished over BiDi (DESIGN §6): start it, then poll.
      page.goto(url).catch(() => {});
      await waitFor(async () => {
        const state = await page
          .evaluate(() => [location.href, document.readyState] as const)
          .catch(() => ["", ""] as const);
        return state[0].startsWith(url.split("#")[0] ?? url) && state[1] === "complete";
      }, `moz-extension page ${path} did not load`);
      return page;
    },
    privileged: async (expression) => {
      const settings = await harness.openPrivileged();
      try {
        return await settings.evaluate(expression);
      } finally {
        await settings.close();
      }
    },
    openPrivileged: async () => {
      // A privileged page (opened to BiDi by --remote-allow-system-access) reaches Firefox's own
      // objects. The page never reports its load over BiDi: it is ready once its chrome globals are.
      const settings = await browser.newPage();
      await settings.goto("about:preferences", { timeout: 1_000 }).catch(() => undefined);
      try {
        await waitFor(
          async () =>
            (await settings.evaluate('typeof WebExtensionPolicy === "function"').catch(() => false)) === true,
          "Firefox's privileged page did not open",
        );
      } catch (error) {
        await settings.close();
        throw error;
      }
      return { evaluate: (expression) => settings.evaluate(expression), close: () => settings.close() };
    },
    stopBackground: async () => {
      // What about:debugging's "Terminate background script" calls.
      const terminated = await harness.privileged(
        `WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension.terminateBackground().then(() => true)`,
      );
      if (terminated !== true) throw new Error("Firefox did not suspend the background");
    },
    reinstall: async (meanwhile) => {
      await browser.uninstallExtension(extensionId);
      await meanwhile?.();
      extensionId = await browser.installExtension(options.extensionDir);
    },
    close: () => browser.close(),
  };
  return harness;
}

/** Polls `check` until it holds; for states no event reports. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  message: string,
  timeoutMs = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
