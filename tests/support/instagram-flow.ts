import { waitFor } from "./browsers";
import type { Driver } from "./driver";

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

// Wide enough for every layout variant: today's roles, 2022's tags, and `?layout=unknown`.
const BUTTON = "[role=button], button, span[tabindex]";
const HEADING = "[role=heading], h1, span[dir=auto]";
const CAPTION = "[role=textbox], textarea, [contenteditable=true]";

/**
 * Opens the stand-in Instagram page in any variant (`query`, e.g. "lang=pt-BR&kind=reel") and goes
 * through the create flow up to the caption step. Returns the page's own strings for later steps.
 */
export async function openCaptionStep(driver: Driver, query = ""): Promise<PageStrings> {
  await driver.goto(`https://www.instagram.com/${query === "" ? "" : `?${query}`}`);
  const t = await driver.evaluate<PageStrings>("globalThis.igStrings[document.documentElement.lang]");
  await driver.click(`a:has(svg[aria-label="${t.newPost}"])`);
  await driver.click(BUTTON, t.selectFromComputer);
  await driver.waitFor(HEADING, t.crop);
  await driver.click(BUTTON, t.next);
  await driver.waitFor(HEADING, t.edit);
  await driver.click(BUTTON, t.next);
  await waitForHeading(driver, [t.createNewPost, t.newReel]);
  return t;
}

/** Presses Share and returns the outcome heading ("Post shared", "Reel shared" or the failure). */
export async function pressShare(driver: Driver, t: PageStrings): Promise<string> {
  await driver.click(BUTTON, t.share);
  return waitForHeading(driver, [t.postShared, t.reelShared, t.failed]);
}

/** The whole flow: caption typed, an optional step before Share (e.g. turning our switch on). */
export async function createPost(
  driver: Driver,
  options: { caption: string; query?: string; beforeShare?: () => Promise<void> },
): Promise<string> {
  const t = await openCaptionStep(driver, options.query);
  await driver.type(CAPTION, options.caption);
  await options.beforeShare?.();
  return pressShare(driver, t);
}

async function waitForHeading(driver: Driver, headings: string[]): Promise<string> {
  let found: string | undefined;
  await waitFor(
    async () => {
      found = (await driver.texts(HEADING)).find((text) => headings.includes(text));
      return found !== undefined;
    },
    `a heading among ${headings.join(" / ")}`,
  );
  return found ?? "";
}
