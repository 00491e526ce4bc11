import { execFileSync } from "node:child_process";
import type { BrowserContext, Page } from "playwright-core";
import { launchChromium, launchFirefox, type PrivilegedPage, waitFor } from "../tests/support/browsers";
import { type Driver, playwrightDriver, puppeteerDriver } from "../tests/support/driver";
import type { BrowserName } from "../tests/support/harness";
import type { Standins } from "../tests/support/standins";

/*
 * One benchmark browser, Chromium or Firefox, with our build installed and driven the same way.
 * Page-side code goes in as source text (tsx wraps TypeScript functions in helpers the page lacks).
 * What each browser tells its own way (the CPU a page costs, the background's heap) is behind one call.
 */

export type BenchPage = {
  driver: Driver;
  /** Calls a page-side function given as source text with JSON arguments. */
  call<T>(source: string, ...args: unknown[]): Promise<T>;
  /** Starts timing the CPU the page costs (what, in `cpuTimeOf`); the stop answers its ms. */
  startCpuTimer(): Promise<() => Promise<number>>;
  cpuTimeOf: string;
  close(): Promise<void>;
};

export interface BenchBrowser {
  name: BrowserName;
  version: string;
  /** chrome-extension://<id> or moz-extension://<uuid> */
  origin: string;
  page(): Promise<BenchPage>;
  /** One of the extension's pages, loaded. */
  extensionPage(path: string): Promise<BenchPage>;
  /** Stops the background as the browser does when it idles; the next event starts it again. */
  stopBackground(): Promise<void>;
  /** The background's JS heap after a full GC (Chromium: CDP; Firefox: its memory reporters). */
  backgroundHeap(): Promise<{ usedBytes: number; totalBytes: number }>;
  close(): Promise<void>;
}

const call = (evaluate: (expression: string) => Promise<unknown>) =>
  (<T>(source: string, ...args: unknown[]) =>
    evaluate(`(${source})(...${JSON.stringify(args)})`) as Promise<T>) as BenchPage["call"];

function browserVersion(executable: string): string {
  return execFileSync(executable, ["--version"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
}

export async function launchBench(
  name: BrowserName,
  extensionDir: string,
  standins: Standins,
): Promise<BenchBrowser> {
  return name === "chromium"
    ? launchChromiumBench(extensionDir, standins)
    : launchFirefoxBench(extensionDir, standins);
}

async function launchChromiumBench(extensionDir: string, standins: Standins): Promise<BenchBrowser> {
  const chromium = await launchChromium({ extensionDir, standins });
  const wrap = (page: Page): BenchPage => ({
    driver: playwrightDriver(page),
    call: call((expression) => page.evaluate(expression)),
    cpuTimeOf: "the renderer's main thread (CDP ThreadTime)",
    startCpuTimer: async () => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
      const threadMs = async () => {
        const { metrics } = await cdp.send("Performance.getMetrics");
        const threadTime = metrics.find((metric) => metric.name === "ThreadTime");
        if (!threadTime) throw new Error("Chromium reported no ThreadTime metric");
        return threadTime.value * 1000;
      };
      const start = await threadMs();
      return async () => {
        try {
          return (await threadMs()) - start;
        } finally {
          await cdp.detach();
        }
      };
    },
    close: () => page.close(),
  });
  return {
    name: "chromium",
    version: browserVersion("/usr/bin/chromium"),
    origin: `chrome-extension://${chromium.extensionId}`,
    page: async () => wrap(await chromium.page()),
    extensionPage: async (path) => wrap(await chromium.openExtensionPage(path)),
    stopBackground: () => chromium.stopServiceWorker(),
    backgroundHeap: async () => {
      const cdp = await workerCdp(chromium.context, chromium.extensionId);
      try {
        await cdp.send("HeapProfiler.collectGarbage");
        const heap = await cdp.send<{ usedSize: number; totalSize: number }>("Runtime.getHeapUsage");
        return { usedBytes: heap.usedSize, totalBytes: heap.totalSize };
      } finally {
        await cdp.close();
      }
    },
    close: () => chromium.close(),
  };
}

async function launchFirefoxBench(extensionDir: string, standins: Standins): Promise<BenchBrowser> {
  const firefox = await launchFirefox({ extensionDir, standins });
  const wrap = (page: Awaited<ReturnType<typeof firefox.page>>): BenchPage => {
    // Opened once per page, behind it: a tab opened or closed around each run would be in the runs.
    let settings: Promise<PrivilegedPage> | undefined;
    const mainThreadCpu = async () => {
      settings ??= firefox.openPrivileged().then(async (opened) => {
        await page.bringToFront();
        return opened;
      });
      const answer = await (await settings).evaluate(contentMainThreadCpu(page.url()));
      if (!isMainThreadCpu(answer))
        throw new Error(`Firefox showed ${page.url()} in no single content process`);
      return answer;
    };
    return {
      driver: puppeteerDriver(page),
      call: call((expression) => page.evaluate(expression)),
      cpuTimeOf: "the content process's main thread (ChromeUtils.requestProcInfo)",
      startCpuTimer: async () => {
        const start = await mainThreadCpu();
        return async () => {
          const end = await mainThreadCpu();
          if (end.pid !== start.pid) throw new Error("the page moved to another process during the run");
          return end.ms - start.ms;
        };
      },
      close: async () => {
        await settings?.then((opened) => opened.close()).catch(() => undefined);
        await page.close();
      },
    };
  };
  return {
    name: "firefox",
    version: browserVersion("/usr/bin/firefox-esr"),
    origin: `moz-extension://${firefox.extensionUuid}`,
    page: async () => wrap(await firefox.page()),
    extensionPage: async (path) => wrap(await firefox.openExtensionPage(path)),
    stopBackground: () => firefox.stopBackground(),
    backgroundHeap: async () => {
      const heap = await firefox.privileged(firefoxBackgroundMemory(firefox.extensionUuid));
      if (!isHeap(heap)) throw new Error(`Firefox's memory reporters told ${JSON.stringify(heap)}`);
      return heap;
    },
    close: () => firefox.close(),
  };
}

const isHeap = (value: unknown): value is { usedBytes: number; totalBytes: number } =>
  typeof value === "object" &&
  value !== null &&
  "usedBytes" in value &&
  typeof value.usedBytes === "number" &&
  value.usedBytes > 0;

const isMainThreadCpu = (value: unknown): value is { pid: number; ms: number } =>
  typeof value === "object" &&
  value !== null &&
  "pid" in value &&
  typeof value.pid === "number" &&
  "ms" in value &&
  typeof value.ms === "number";

/**
 * Privileged-page source: the CPU time (ms) of the main thread of the one content process showing
 * `url`, as Chromium's is read (Linux counts it in 10 ms ticks, a fourth of a percent of a run). The
 * process's total was noisier: its helper threads' work grew run after run, whichever page ran.
 */
function contentMainThreadCpu(url: string): string {
  return `ChromeUtils.requestProcInfo().then((info) => {
    const hosts = info.children.filter((child) =>
      child.windows.some((window) => window.documentURI?.spec === ${JSON.stringify(url)}));
    const main = hosts.length === 1 && hosts[0].threads.find((thread) => thread.tid === hosts[0].pid);
    return main ? { pid: hosts[0].pid, ms: main.cpuTime / 1e6 } : { hosts: hosts.length };
  })`;
}

/**
 * Privileged-page source: memory minimized (GC and CC, as about:memory's button), then the bytes
 * about:memory's reporters give the background page's window (its JS realm and its DOM). `usedBytes`
 * is the JS realm's part, the counterpart of Chromium's JS heap; `totalBytes` the whole window.
 */
function firefoxBackgroundMemory(uuid: string): string {
  return `new Promise((resolve, reject) => {
    const manager = Cc["@mozilla.org/memory-reporter-manager;1"].getService(Ci.nsIMemoryReporterManager);
    // about:memory writes the URL's slashes as backslashes: moz-extension:\\\\<uuid>\\_generated…
    const page = "${uuid}\\\\_generated_background_page.html";
    let usedBytes = 0;
    let totalBytes = 0;
    manager.minimizeMemoryUsage(() => {
      manager.getReports(
        (process, path, kind, units, amount) => {
          if (units !== Ci.nsIMemoryReporter.UNITS_BYTES || !path.startsWith("explicit/window-objects/")) return;
          if (!path.includes(page) || !path.split("/")[2].startsWith("top(moz-extension:")) return;
          totalBytes += amount;
          if (path.includes("/js-realm(")) usedBytes += amount;
        },
        null,
        () => resolve({ usedBytes, totalBytes }),
        null,
        false,
      );
    });
  })`;
}

/**
 * CDP on the worker target. Playwright gives no CDP session for workers, so the browser session
 * attaches to it and relays (Target.sendMessageToTarget).
 */
async function workerCdp(context: BrowserContext, extensionId: string) {
  const browser = context.browser();
  if (!browser) throw new Error("no browser behind this context");
  const session = await browser.newBrowserCDPSession();
  let sessionId = "";
  await waitFor(async () => {
    const { targetInfos } = await session.send("Target.getTargets");
    const target = targetInfos.find(
      (info) => info.type === "service_worker" && info.url.startsWith(`chrome-extension://${extensionId}/`),
    );
    if (!target) return false;
    ({ sessionId } = await session.send("Target.attachToTarget", {
      targetId: target.targetId,
      flatten: false,
    }));
    return true;
  }, "the service worker target did not show up");

  let nextId = 1;
  const pending = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  session.on("Target.receivedMessageFromTarget", (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (message.id !== undefined) pending.get(message.id)?.(message);
  });
  return {
    send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, (message) => {
          pending.delete(id);
          if (message.error) reject(new Error(`${method}: ${message.error.message}`));
          else resolve(message.result as T);
        });
        session
          .send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) })
          .catch(reject);
      });
    },
    close: () => session.detach(),
  };
}
