import type { Page, ElementHandle as PlaywrightElement } from "playwright-core";
import type { ElementHandle, KeyInput, Page as PuppeteerPage } from "puppeteer-core";

/**
 * The few page operations our end-to-end flows need, over Playwright (Chromium) or Puppeteer
 * (Firefox). Queries reach into open shadow roots (our switch lives in one); clicks and typing are
 * real input, so the page sees trusted events.
 */
export interface Driver {
  goto(url: string): Promise<void>;
  /** Clicks the first element matching `selector` whose trimmed text is `text` (if given). */
  click(selector: string, text?: string): Promise<void>;
  /** Focuses the element and types, key by key. */
  type(selector: string, text: string): Promise<void>;
  /** Presses one key ("Tab", " ") where the focus is, as a real keyboard does. */
  press(key: string): Promise<void>;
  /** Waits until an element matching `selector` contains `text` (or exists, without text). */
  waitFor(selector: string, text?: string, timeoutMs?: number): Promise<void>;
  /** Text of every element matching `selector`. */
  texts(selector: string): Promise<string[]>;
  attribute(selector: string, name: string): Promise<string | null>;
  screenshot(path: string): Promise<void>;
  /** Evaluates a JavaScript expression (source text) in the page. */
  evaluate<T>(expression: string): Promise<T>;
  /**
   * Makes `prefers-color-scheme` match `scheme`, and returns once the page sees it. Chromium: this
   * page only; Firefox: every page of the browser (a pref, as the user's own setting would be).
   */
  emulateColorScheme(scheme: "light" | "dark"): Promise<void>;
}

type Query = { selector: string; text: string | null; exact: boolean };

/**
 * Page-side helpers, kept as source text: transpilers (tsx, vitest) may wrap functions in helpers
 * that do not exist in the page, so nothing here is a serialized TypeScript function.
 * `__deepAll(selector)` is querySelectorAll over the document and every open shadow root.
 */
const DEEP_ALL = `(selector) => {
  const roots = [document];
  const found = [];
  for (let index = 0; index < roots.length; index++) {
    found.push(...roots[index].querySelectorAll(selector));
    for (const element of roots[index].querySelectorAll("*")) if (element.shadowRoot) roots.push(element.shadowRoot);
  }
  return found;
}`;

const findExpression = ({
  selector,
  text,
  exact,
}: Query) => `(${DEEP_ALL})(${JSON.stringify(selector)}).find((element) => {
  const content = (element.textContent || "").trim();
  const text = ${JSON.stringify(text)};
  return text === null || (${exact} ? content === text : content.includes(text));
}) || null`;

const textsExpression = (selector: string) =>
  `(${DEEP_ALL})(${JSON.stringify(selector)}).map((element) => (element.textContent || "").trim())`;

const WAIT_MS = 30_000;

/**
 * Polls a page query until it finds an element. Evaluating source text directly (not through
 * waitForFunction) keeps working on our own pages, whose CSP forbids the page-side eval.
 */
async function poll<T>(lookup: () => Promise<T | null>, query: Query, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await lookup().catch(() => null);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${query.selector}${query.text === null ? "" : ` with text "${query.text}"`}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What differs between Playwright and Puppeteer; the Driver is built once over it. */
interface PageAdapter {
  goto(url: string): Promise<unknown>;
  /** The element an expression evaluates to, or null. */
  element(
    expression: string,
  ): Promise<{ click(): Promise<void>; attribute(name: string): Promise<string | null> } | null>;
  type(text: string): Promise<void>;
  press(key: string): Promise<void>;
  evaluate(expression: string): Promise<unknown>;
  screenshot(path: string): Promise<unknown>;
  emulateColorScheme(scheme: "light" | "dark"): Promise<unknown>;
}

function driverOver(adapter: PageAdapter): Driver {
  const find = (query: Query, timeout = WAIT_MS) =>
    poll(() => adapter.element(findExpression(query)), query, timeout);
  return {
    goto: async (url) => {
      await adapter.goto(url);
    },
    click: async (selector, text) => (await find({ selector, text: text ?? null, exact: true })).click(),
    type: async (selector, text) => {
      await (await find({ selector, text: null, exact: false })).click();
      await adapter.type(text);
    },
    press: (key) => adapter.press(key),
    waitFor: async (selector, text, timeoutMs) => {
      await find({ selector, text: text ?? null, exact: false }, timeoutMs);
    },
    texts: async (selector) => (await adapter.evaluate(textsExpression(selector))) as string[],
    attribute: async (selector, name) => (await find({ selector, text: null, exact: false })).attribute(name),
    screenshot: async (path) => {
      await adapter.screenshot(path);
    },
    evaluate: async <T>(expression: string) => (await adapter.evaluate(expression)) as T,
    emulateColorScheme: async (scheme) => {
      await adapter.emulateColorScheme(scheme);
      const query = `matchMedia("(prefers-color-scheme: ${scheme})").matches || null`;
      await poll(
        () => adapter.evaluate(query),
        { selector: `prefers-color-scheme: ${scheme}`, text: null, exact: false },
        WAIT_MS,
      );
    },
  };
}

export function playwrightDriver(page: Page): Driver {
  return driverOver({
    goto: (url) => page.goto(url),
    element: async (expression) => {
      const element = (
        await page.evaluateHandle(expression)
      ).asElement() as PlaywrightElement<Element> | null;
      return element && { click: () => element.click(), attribute: (name) => element.getAttribute(name) };
    },
    type: (text) => page.keyboard.type(text),
    press: (key) => page.keyboard.press(key),
    evaluate: (expression) => page.evaluate(expression),
    screenshot: (path) => page.screenshot({ path }),
    emulateColorScheme: (colorScheme) => page.emulateMedia({ colorScheme }),
  });
}

export function puppeteerDriver(page: PuppeteerPage): Driver {
  return driverOver({
    goto: (url) => page.goto(url),
    element: async (expression) => {
      const element = (await page.evaluateHandle(expression)).asElement() as ElementHandle<Element> | null;
      return (
        element && {
          click: () => element.click(),
          attribute: (name) => element.evaluate((node, attribute) => node.getAttribute(attribute), name),
        }
      );
    },
    type: (text) => page.keyboard.type(text),
    press: (key) => page.keyboard.press(key as KeyInput),
    evaluate: (expression) => page.evaluate(expression),
    screenshot: (path) => page.screenshot({ path: path as `${string}.png` }),
    emulateColorScheme: (scheme) => setFirefoxColorScheme(page, scheme),
  });
}

/**
 * Firefox over BiDi has no media emulation (puppeteer's emulateMediaFeatures is CDP-only), so this
 * sets the pref behind Settings › Website appearance. Firefox ESR 140 takes no "moz:scope" on
 * BiDi's browsingContext.getTree (later Firefoxes open their chrome scope that way), so the pref is
 * set from Firefox's own settings page, a privileged page that `--remote-allow-system-access`
 * opens to BiDi; Firefox re-evaluates the media query shortly after.
 */
async function setFirefoxColorScheme(page: PuppeteerPage, scheme: "light" | "dark"): Promise<void> {
  // 0 = dark, 1 = light (layout.css.prefers-color-scheme.content-override).
  const value = scheme === "dark" ? 0 : 1;
  const settings = await page.browser().newPage();
  try {
    // The settings page never reports its load over BiDi: it is ready once its `Services` is there.
    await settings.goto("about:preferences", { timeout: 1_000 }).catch(() => undefined);
    const set = `typeof Services === "object" &&
      (Services.prefs.setIntPref("layout.css.prefers-color-scheme.content-override", ${value}), true) || null`;
    await poll(
      () => settings.evaluate(set).catch(() => null),
      {
        selector: "Firefox's settings page",
        text: null,
        exact: false,
      },
      WAIT_MS,
    );
  } finally {
    await settings.close();
    await page.bringToFront();
  }
}
