import type { Page } from "playwright-core";
import type { ElementHandle, Page as PuppeteerPage } from "puppeteer-core";

/** The few page operations the create flow needs, over Playwright or Puppeteer; clicks are real input. */
export type Driver = {
  goto(url: string): Promise<void>;
  /** Clicks the first element matching `selector` whose trimmed text is `text` (any, if omitted). */
  click(selector: string, text?: string): Promise<void>;
  /** Clicks into the element, then types with the keyboard. */
  type(selector: string, text: string): Promise<void>;
  /** Waits for an element matching `selector` with one of `texts`; returns the text found. */
  waitForText(selector: string, texts: string[]): Promise<string>;
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
};

type Query = { selector: string; texts: string[] | null };

// Runs in the page: stays self-contained, no closures.
function findElement(query: Query): Element | null {
  const found = [...document.querySelectorAll(query.selector)].find(
    (element) => query.texts === null || query.texts.includes(element.textContent?.trim() ?? ""),
  );
  return found ?? null;
}

export function playwrightDriver(page: Page): Driver {
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    click: async (selector, text) => {
      const query: Query = { selector, texts: text === undefined ? null : [text] };
      const handle = await page.waitForFunction(findElement, query);
      const element = handle.asElement();
      if (!element) throw new Error(`no element ${selector} ${text ?? ""}`);
      await element.click();
    },
    type: async (selector, text) => {
      await page.locator(selector).first().click();
      await page.keyboard.type(text);
    },
    waitForText: async (selector, texts) => {
      const handle = await page.waitForFunction(findElement, { selector, texts });
      return (await handle.evaluate((element) => element?.textContent?.trim())) ?? "";
    },
    evaluate: (expression) => page.evaluate(expression),
    close: () => page.close(),
  };
}

export function puppeteerDriver(page: PuppeteerPage): Driver {
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    click: async (selector, text) => {
      const query: Query = { selector, texts: text === undefined ? null : [text] };
      const handle = await page.waitForFunction(findElement, {}, query);
      const element = handle.asElement() as ElementHandle<Element> | null;
      if (!element) throw new Error(`no element ${selector} ${text ?? ""}`);
      await element.click();
    },
    type: async (selector, text) => {
      await page.locator(selector).click();
      await page.keyboard.type(text);
    },
    waitForText: async (selector, texts) => {
      const handle = await page.waitForFunction(findElement, {}, { selector, texts });
      return page.evaluate((element) => element?.textContent?.trim() ?? "", handle);
    },
    evaluate: (expression) => page.evaluate(expression) as Promise<never>,
    close: () => page.close(),
  };
}

/** The stand-in page's strings for its current language (tests/fixtures/instagram/strings.js). */
export type PageStrings = Record<
  | "createNewPost"
  | "newReel"
  | "selectFromComputer"
  | "crop"
  | "edit"
  | "next"
  | "share"
  | "newPost"
  | "postShared"
  | "reelShared"
  | "failed"
  | "writeCaption",
  string
>;

// Selectors wide enough for every layout variant: today's roles, 2022's tags, and `?layout=unknown`.
const BUTTON = "[role=button], button, span[tabindex]";
const HEADING = "[role=heading], h1, span[dir=auto]";
const CAPTION = "[role=textbox], textarea, [contenteditable=true]";

/**
 * Opens the stand-in Instagram page (`query` picks variants, e.g. "lang=pt-BR&kind=reel") and goes
 * through the create flow up to the caption step. Returns the page's strings for later steps.
 */
export async function openCaptionStep(driver: Driver, query = ""): Promise<PageStrings> {
  await driver.goto(`https://www.instagram.com/${query === "" ? "" : `?${query}`}`);
  const t = await driver.evaluate<PageStrings>("globalThis.igStrings[document.documentElement.lang]");
  await driver.click(`a:has(svg[aria-label="${t.newPost}"])`);
  await driver.click(BUTTON, t.selectFromComputer);
  await driver.waitForText(HEADING, [t.crop]);
  await driver.click(BUTTON, t.next);
  await driver.waitForText(HEADING, [t.edit]);
  await driver.click(BUTTON, t.next);
  await driver.waitForText(HEADING, [t.createNewPost, t.newReel]);
  return t;
}

/** Presses Share and waits for the outcome heading; returns it ("Post shared", "Reel shared" or the failure). */
export async function pressShare(driver: Driver, t: PageStrings): Promise<string> {
  await driver.click(BUTTON, t.share);
  return driver.waitForText(HEADING, [t.postShared, t.reelShared, t.failed]);
}

/** The whole flow: caption typed, optional step before Share (e.g. turning the extension's switch on). */
export async function createPost(
  driver: Driver,
  options: { caption: string; query?: string; beforeShare?: () => Promise<void> },
): Promise<string> {
  const t = await openCaptionStep(driver, options.query);
  await driver.type(CAPTION, options.caption);
  await options.beforeShare?.();
  return pressShare(driver, t);
}
