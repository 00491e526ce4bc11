import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { linkPageByToken, openComposerAtCaption, shareWithSwitch } from "../tests/support/flows";
import { launchWithExtension } from "../tests/support/harness";
import { startStandins } from "../tests/support/standins";

const headless = !process.argv.includes("--headed");
const outDir = resolve("demo-output");
const DEMO_PAGE = { id: "104729384756201", name: "Acme Bakery", token: "EAAGdemoPageToken0123456789" };
const CAPTION = "Fresh sourdough out of the oven 🍞\nCome by before noon! #bakery #sourdough";

const say = (text: string) => console.log(`  • ${text}`);

await mkdir(outDir, { recursive: true });
console.log(
  "\nalsoshare demo — everything runs on this machine; no real Instagram or Facebook server is called.",
);
const standins = await startStandins();
say(`Local stand-ins for ${standins.hosts.join(", ")} on 127.0.0.1:${standins.port} (self-signed HTTPS)`);
standins.graph.addPage(DEMO_PAGE);
say(`The Graph stand-in knows one Page, “${DEMO_PAGE.name}”, and its Page access token`);

const browser = await launchWithExtension("chromium", standins, { headless });
try {
  say(
    `Chromium started (${headless ? "headless" : "visible window"}) with the built extension .output/chrome-mv3`,
  );

  const options = await browser.openExtensionPage("options.html");
  await linkPageByToken(options, DEMO_PAGE.token, DEMO_PAGE.name);
  say(`Options page: pasted the Page access token, pressed “Link” → linked “${DEMO_PAGE.name}”`);
  await options.screenshot(resolve(outDir, "options.png"));
  // Done with the options page, as a user would be: an open one shows each new share's thumbnail,
  // which the browser loads from Instagram's CDN, and the count below is of what sharing fetched.
  await options.goto("about:blank");

  const instagram = await browser.newPage();
  await openComposerAtCaption(instagram, CAPTION);
  say("instagram.com: opened “Create”, picked a photo, Next, Next, typed the caption");
  await instagram.click('[role="switch"][aria-labelledby="alsoshare-switch-label"]');
  await instagram.waitFor('[role="switch"][aria-checked="true"]');
  say("Turned on “Also share to Facebook” (to Acme Bakery)");
  await instagram.screenshot(resolve(outDir, "composer-switch.png"));
  await shareWithSwitch(instagram, true);
  const configure = standins.instagram.posts.at(-1);
  say(
    `Pressed Instagram's own Share → Instagram answered the configure call (post ${JSON.stringify(configure?.caption)})`,
  );

  await instagram.waitFor('[role="status"]', "Shared to Facebook", 60_000);
  say(`In-page status: “${(await instagram.texts('[role="status"]'))[0]?.replace(/×$/, "")}”`);
  await instagram.screenshot(resolve(outDir, "composer-shared.png"));

  const post = standins.graph.posts.at(-1);
  if (!post) throw new Error("No post reached the Graph stand-in.");
  console.log("\nThe Facebook post the extension made (as the Graph stand-in recorded it):");
  console.log(`  id:      ${post.id}`);
  console.log(`  Page:    ${DEMO_PAGE.name} (${post.pageId})`);
  console.log(`  photo:   ${post.url}`);
  console.log(
    `           fetched by Facebook from Instagram's CDN; media bytes the browser downloaded: ${standins.instagram.cdnBytesServed}`,
  );
  console.log(`  message: ${JSON.stringify(post.message)}`);
  console.log(`  link:    https://www.facebook.com/${post.id}`);

  const popup = await browser.openExtensionPage("popup.html");
  await popup.waitFor(".job", "Shared");
  await popup.screenshot(resolve(outDir, "popup.png"));
  console.log(
    `\nScreenshots saved in ${outDir}: options.png, composer-switch.png, composer-shared.png, popup.png`,
  );
} finally {
  await browser.close();
  await standins.stop();
}
