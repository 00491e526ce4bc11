import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "../support/driver";
import { linkPageByToken, openComposerAtCaption, SWITCH } from "../support/flows";
import { BROWSERS, type LinkedBrowser, startWithLinkedPage, stopAll } from "../support/harness";
import { seedShares } from "../support/seed-shares";

/*
 * axe-core, the standard WCAG rule engine, judges our three surfaces on the production build in
 * both browsers and both themes: the popup, the options page (its linking wizard with its findings
 * shown too), and the panel in Instagram's composer.
 * Then the keyboard: every control of the popup is reached by Tab, in reading order, with a focus
 * ring that can be seen.
 */

const axeSource = (createRequire(import.meta.url)("axe-core") as { source: string }).source;

/** WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SCHEMES = ["light", "dark"] as const;
type Scheme = (typeof SCHEMES)[number];

const PAGE = { id: "1001", name: "Acme Bakery", token: "EAAGpagetokenA11y0123456789abcd" };
/** A Page the user may only analyse, so the linking wizard names it. */
const ANALYTICS = {
  id: "1003",
  name: "Acme Analytics",
  token: "EAAGpagetokenA11yAnalytics0123",
  tasks: ["ANALYZE"],
};
/** More than the popup's first page of ten, so "Show more" is there too. */
const SHARE_COUNT = 12;

type Violation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; summary: string }[];
};

/**
 * Runs axe in the page on `context` (a selector; axe goes into open shadow roots under it) and
 * answers what it found, in a form that reads well in a failure message.
 */
async function axe(page: Driver, context = "document"): Promise<Violation[]> {
  if (!(await page.evaluate<boolean>("typeof globalThis.axe === 'object'"))) {
    await page.evaluate(`${axeSource}; true`);
  }
  return page.evaluate<Violation[]>(
    `axe.run(${context === "document" ? "document" : JSON.stringify(context)}, {
      runOnly: { type: "tag", values: ${JSON.stringify(WCAG_TAGS)} },
      resultTypes: ["violations"],
    }).then((results) => results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target, summary: node.failureSummary })),
    })))`,
  );
}

/**
 * One line per violating element: rule, impact, where, and axe's own summary of what is wrong;
 * compared as one text, so a failure prints every line rather than a truncated array.
 */
const readable = (violations: Violation[]) =>
  violations
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}) ${violation.help} at ${JSON.stringify(node.target)}: ${node.summary.replace(/\s+/g, " ")}`,
      ),
    )
    .join("\n");

/**
 * What Tab reaches, in order, and what the page says it should: every enabled control in document
 * order, each named as a user would meet it, with whether its focus ring shows and how it contrasts.
 */
const FOCUS_PROBE = `(() => {
  const parse = (color) => {
    const [r, g, b, a = 1] = (color.match(/[\\d.]+/g) || []).map(Number);
    return { r, g, b, a };
  };
  const luminance = ({ r, g, b }) => {
    const [R, G, B] = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color.a > 0) return color;
    }
    return parse(getComputedStyle(document.documentElement).backgroundColor || "rgb(255,255,255)");
  };
  const name = (element) =>
    (element.labels && element.labels[0] ? element.labels[0].textContent : element.getAttribute("aria-label") || element.textContent || "").trim();
  window.__describe = (element) => {
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const ring = parse(style.outlineColor);
    const [light, dark] = [luminance(ring), luminance(background(element.parentElement))].sort((x, y) => y - x);
    return {
      name: element.tagName.toLowerCase() + " " + name(element),
      ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
      contrast: Math.round(((light + 0.05) / (dark + 0.05)) * 10) / 10,
    };
  };
  const controls = [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
    .filter((element) => !element.disabled && element.tabIndex >= 0 && element.getClientRects().length > 0);
  return controls.map((element) => window.__describe(element).name);
})()`;

describe.each(BROWSERS)("accessibility of our pages and panel, in %s", (browserName) => {
  let setup: LinkedBrowser;
  let popup: Driver;
  let options: Driver;
  let welcome: Driver;
  let policy: Driver;
  let instagram: Driver;
  let wizard: Driver;

  beforeAll(async () => {
    setup = await startWithLinkedPage(browserName, PAGE);
    expect(
      await seedShares(setup.options, {
        page: PAGE,
        count: SHARE_COUNT,
        base: Date.now() - SHARE_COUNT * 3_600_000,
        stepMs: 3_600_000,
        states: ["shared", "failed", "cancelled"],
        kinds: ["photo", "carousel", "reel"],
      }),
    ).toBe(SHARE_COUNT);
    // An Instagram account with posts made on the phone, so the Recent Instagram posts list is judged too.
    setup.standins.graph.addInstagramAccount({
      id: "17841400000000001",
      username: "acme.bakery",
      pageId: PAGE.id,
    });
    setup.standins.graph.addInstagramMedia("17841400000000001", {
      pk: "3141592653589793001",
      type: "IMAGE",
      caption: "Rye",
    });
    setup.standins.graph.addInstagramMedia("17841400000000001", {
      pk: "3141592653589793002",
      type: "CAROUSEL_ALBUM",
    });
    await linkPageByToken(setup.options, PAGE.token, PAGE.name);
    await setup.options.waitFor(".accounts li", "Instagram: @acme.bakery");
    popup = await setup.browser.openExtensionPage("popup.html");
    options = await setup.browser.openExtensionPage("options.html");
    welcome = await setup.browser.openExtensionPage("welcome.html");
    policy = await setup.browser.openExtensionPage("privacy.html");
    wizard = await openWizardWithFindings();
    // Opened last, so it is the tab in front: Firefox slows timers in tabs behind it.
    instagram = await setup.browser.newPage();
  });

  /**
   * The options page with every finding of the linking wizard on screen: a test sign-in's report
   * (a declined permission, a Page the user may not post to) and its Page picker, a pasted token's
   * report, the share preview, and an App ID typed wrong.
   */
  async function openWizardWithFindings(): Promise<Driver> {
    const { graph, facebook } = setup.standins;
    graph.addPage(ANALYTICS);
    graph.addUser({
      id: "42",
      name: "Dana Baker",
      token: facebook.oauth.token,
      pageIds: [PAGE.id, ANALYTICS.id],
      declined: ["instagram_basic"],
    });
    const page = await setup.browser.openExtensionPage("options.html");
    await page.type("#app-id", graph.app.id);
    await page.click("button", "Save app");
    await page.waitFor("button:not([disabled])", "Connect Facebook");
    await page.click("button", "Connect Facebook");
    await page.waitFor("#sign-in-report", `You cannot post to ${ANALYTICS.name}`);
    await page.waitFor(".page-picker label", ANALYTICS.name);
    await page.type("#page-token", PAGE.token);
    await page.click("button", "Check token");
    await page.waitFor("#token-report", `A Page access token for ${PAGE.name}.`);
    await page.waitFor("#share-preview-text");
    await page.type("#app-id", "ab");
    await page.waitFor("#app-id-check", "An App ID is only digits");
    return page;
  }
  afterAll(async () => {
    await stopAll(setup);
  });

  /** Our pages follow the theme live, through their CSS media query: no reload needed. */
  const inTheme = (page: Driver, scheme: Scheme) => page.emulateColorScheme(scheme);

  for (const scheme of SCHEMES) {
    it(`the popup, with a linked Page and shares, has no WCAG 2.2 A/AA violation (${scheme})`, async () => {
      await inTheme(popup, scheme);
      await popup.waitFor(".accounts li", PAGE.name);
      await popup.waitFor('input[role="switch"]');
      await popup.waitFor(".job .state", "Failed");
      await popup.waitFor("button.more", "Show more");
      expect(readable(await axe(popup))).toBe("");
    });

    it(`the options page, with a linked Page and shares, has no WCAG 2.2 A/AA violation (${scheme})`, async () => {
      await inTheme(options, scheme);
      await options.waitFor(".accounts li", PAGE.name);
      await options.waitFor("#sharing input[type=checkbox]");
      await options.waitFor("#shares .job .state", "Cancelled");
      await options.waitFor("#activity li", PAGE.name);
      await options.waitFor("#diag-report");
      await options.waitFor("#instagram-posts .past-post", "Rye");
      // The per-post choice open, as the user sees it after "Share to Facebook".
      if ((await options.texts("#instagram-posts form.share-past")).length === 0) {
        await options.click("#instagram-posts .past-post button", "Share to Facebook");
      }
      await options.waitFor("#instagram-posts form.share-past textarea");
      expect(readable(await axe(options))).toBe("");
    });

    it(`the options page's linking wizard, its findings shown, has no WCAG 2.2 A/AA violation (${scheme})`, async () => {
      await inTheme(wizard, scheme);
      await wizard.waitFor("#sign-in-report li[data-scope]", "declined at sign-in");
      expect(readable(await axe(wizard, ".wizard"))).toBe("");
    });

    it(`the first-run page, consent given, has no WCAG 2.2 A/AA violation (${scheme})`, async () => {
      await inTheme(welcome, scheme);
      await welcome.waitFor("button", "Withdraw consent");
      expect(readable(await axe(welcome))).toBe("");
    });

    it(`the privacy policy has no WCAG 2.2 A/AA violation (${scheme})`, async () => {
      await inTheme(policy, scheme);
      await policy.waitFor("h2", "What it sends, and to whom");
      expect(readable(await axe(policy))).toBe("");
    });

    it(`Instagram's composer with our panel open has no WCAG 2.2 A/AA violation (${scheme})`, async () => {
      await instagram.emulateColorScheme(scheme);
      const url = `https://www.instagram.com/${scheme === "dark" ? "?theme=dark" : ""}`;
      await openComposerAtCaption(instagram, `Golden hour at the bakery (${scheme})`, url);
      // Everything the panel can show at once: the switch on, the targets open, the Facebook text.
      await instagram.click(SWITCH);
      await instagram.waitFor(`${SWITCH}[aria-checked="true"]`);
      await instagram.click(".panel button.link", "Change");
      await instagram.waitFor(".panel .targets label", PAGE.name);
      await instagram.waitFor(".panel textarea");
      if (scheme === "dark") {
        expect(
          await instagram.evaluate<string>(`document.querySelector("alsoshare-panel").dataset.theme`),
        ).toBe("dark");
      }
      // Our panel, inside the dialog (axe walks into its open shadow root). The stand-in's own
      // markup copies Instagram's, contrast and all, and is not ours to judge.
      expect(readable(await axe(instagram, "[role=dialog] alsoshare-panel"))).toBe("");
    });
  }

  type Focused = { name: string; ring: boolean; contrast: number };

  /**
   * Presses Tab through a page just opened (focus starts at its top) and checks it meets every
   * enabled control once, in document order, each showing a focus ring (WCAG 2.4.7 and 1.4.11: at
   * least 2 px, 3:1 against what is behind it). Answers the controls' names in that order.
   */
  async function tabThrough(path: "popup.html" | "options.html", scheme: Scheme, ready: string) {
    const page = await setup.browser.openExtensionPage(path);
    await page.emulateColorScheme(scheme);
    await page.waitFor(ready);
    const expected = await page.evaluate<string[]>(FOCUS_PROBE);
    const reached: Focused[] = [];
    for (let index = 0; index < expected.length; index++) {
      await page.press("Tab");
      const focused = await page.evaluate<Focused | null>("window.__describe(document.activeElement)");
      if (!focused) break;
      reached.push(focused);
    }
    expect(reached.map((control) => control.name).join("\n")).toBe(expected.join("\n"));
    const unseen = reached.filter((control) => !control.ring || control.contrast < 3);
    expect(unseen.map((control) => JSON.stringify(control)).join("\n")).toBe("");
    return expected;
  }

  for (const scheme of SCHEMES) {
    it(`Tab reaches every control of the popup in reading order, each with a visible focus ring (${scheme})`, async () => {
      const order = await tabThrough("popup.html", scheme, "button.more");
      // What a user meets first: the way to the settings, then auto-share per kind, then the shares.
      expect(order.slice(0, 6)).toEqual([
        "button Settings",
        "input Photos",
        "input Carousels",
        "input Videos",
        "input Reels",
        "input Stories",
      ]);
      expect(order).toContain("a Open on Instagram");
      expect(order.at(-1)).toBe("button Show more");
    });

    it(`Tab reaches every control of the options page in reading order, each with a visible focus ring (${scheme})`, async () => {
      // Ready once the diagnostics and the Instagram posts (read from Graph) are both drawn.
      const order = await tabThrough(
        "options.html",
        scheme,
        "body:has(#diag-report):has(#instagram-posts .past-post button)",
      );
      // The section links first, then the sections in the order the links name them.
      expect(order.slice(0, 3)).toEqual(["a Accounts", "a Sharing", "a Caption rules"]);
      expect(order).toContain("input Page access token");
      expect(order).toContain("input Photos");
      expect(order.indexOf("input Page access token")).toBeLessThan(order.indexOf("input Photos"));
      expect(order.at(-1)).toBe("button Refresh");
    });
  }
});
