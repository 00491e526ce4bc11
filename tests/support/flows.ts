import { waitFor } from "./browsers";
import type { Driver } from "./driver";

/** The switch's accessible name (UI contract, DESIGN.md §3). */
export const SWITCH = '[role="switch"][aria-labelledby="alsoshare-switch-label"]';

/** On the options page: pastes a Page token into the field labelled "Page access token", presses "Link". */
export async function linkPageByToken(options: Driver, token: string, pageName: string): Promise<void> {
  await options.waitFor("label", "Page access token");
  const fieldId = await options.evaluate<string>(
    `[...document.querySelectorAll("label")].find((label) => label.textContent.trim() === "Page access token")?.htmlFor ?? ""`,
  );
  await options.type(`#${fieldId}`, token);
  await options.click("button", "Link");
  await options.waitFor(".accounts li", pageName);
}

/**
 * Goes through Instagram's create-post flow on the stand-in, up to the caption step, with our
 * switch showing. Returns when the caption is typed.
 */
export async function openComposerAtCaption(
  instagram: Driver,
  caption: string,
  url = "https://www.instagram.com/",
) {
  await instagram.goto(url);
  await startComposerAtCaption(instagram, caption);
}

/**
 * After "Post shared": closes Instagram's composer and goes through a new one in the same page, up
 * to the caption step. No reload, so the same content script (and its bridge) sees both posts, in
 * the order they were published.
 */
export async function openNextComposerAtCaption(instagram: Driver, caption: string) {
  await instagram.click("[role=dialog] [role=button]", "Close");
  await waitFor(async () => (await instagram.texts("[role=dialog]")).length === 0, "the composer closed");
  await startComposerAtCaption(instagram, caption);
}

const CAPTION_EDITOR = '[role=dialog] [role=textbox][aria-label="Write a caption..."]';

/**
 * Asks the background from one of our pages, as the page itself would (source text: see driver.ts);
 * answers the reply's data, or throws its error's sentence.
 */
export const askBackground = <T>(page: Driver, type: string, payload: object = {}) =>
  page.evaluate<T>(
    `(async () => {
      const reply = await (globalThis.browser ?? globalThis.chrome).runtime.sendMessage(${JSON.stringify({ type, payload })});
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.data;
    })()`,
  );

/** From the page as it is (no navigation): the create flow up to the caption step, with our switch. */
export async function startComposerAtCaption(instagram: Driver, caption: string) {
  await typeCaptionInComposer(instagram, caption);
  await instagram.waitFor(SWITCH);
}

/** From the page as it is: Instagram's create flow up to the caption step, caption typed, nothing of ours awaited. */
export async function typeCaptionInComposer(instagram: Driver, caption: string) {
  await instagram.click('a:has(svg[aria-label="New post"])');
  await instagram.click("[role=dialog] [role=button]", "Select from computer");
  await instagram.waitFor("[role=dialog] [role=heading]", "Crop");
  await instagram.click("[role=dialog] [role=button]", "Next");
  await instagram.waitFor("[role=dialog] [role=heading]", "Edit");
  await instagram.click("[role=dialog] [role=button]", "Next");
  // "Create new post", or "New reel" for a video: the caption editor is the step's sign.
  await instagram.waitFor(CAPTION_EDITOR);
  await instagram.type(CAPTION_EDITOR, caption);
}

/** Sets our switch with a real click, then presses Instagram's own Share and waits for "Post shared". */
export async function shareWithSwitch(instagram: Driver, on: boolean): Promise<void> {
  if ((await instagram.attribute(SWITCH, "aria-checked")) !== String(on)) await instagram.click(SWITCH);
  await instagram.waitFor(`${SWITCH}[aria-checked="${on}"]`);
  await instagram.click("[role=dialog] [role=button]", "Share");
  // "Post shared", or "Reel shared".
  await instagram.waitFor("[role=dialog] [role=heading]", " shared");
}
