// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { ComposerPanel } from "@/components/ComposerPanel";
import { type Translate, TranslateContext } from "@/components/i18n";
import { JobList } from "@/components/JobList";
import { ShareStatus } from "@/components/ShareStatus";
import type { AccountView, JobView } from "@/lib/messages/views";

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const MESSAGES = JSON.parse(
  readFileSync(`${process.cwd()}/public/_locales/en/messages.json`, "utf8"),
) as Messages;

/** The English strings, with placeholders filled as the browser's i18n does. */
const english: Translate = (key, substitutions = []) => {
  const entry = MESSAGES[key];
  if (!entry) return key;
  return entry.message.replace(/\$(\w+)\$/g, (_, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? "";
    return content.replace(/\$(\d)/g, (__, index: string) => substitutions[Number(index) - 1] ?? "");
  });
};

/** Text a page script or a Facebook error could carry: markup, script, direction and invisible tricks. */
const HOSTILE_TEXTS = {
  markup: `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script><b>bold</b>`,
  "closing tags": `</textarea></div><svg onload="window.__pwned=1"></svg><a href="javascript:window.__pwned=1">x</a>`,
  "RTL override": "\u202Egpj.exe\u202C \u200F\u061C Acme\u2066reversed\u2069",
  "zero-width": "Fresh\u200B sour\u200Cdough\u200D \uFEFFtoday\u2060",
  "100k characters": `${"<i>long</i> ".repeat(9_090)}end`,
};

let host: HTMLElement;
afterEach(() => {
  render(null, host);
  host.remove();
  delete (window as unknown as { __pwned?: number }).__pwned;
});

function mount(node: preact.ComponentChildren) {
  host = document.createElement("div");
  document.body.append(host);
  render(<TranslateContext.Provider value={english}>{node}</TranslateContext.Provider>, host);
  return host;
}

/** Each hostile string became text: no element, attribute or script came from it. */
function expectOnlyText(root: HTMLElement, text: string, allowedTags: string[]) {
  const tags = [...root.querySelectorAll("*")].map((element) => element.tagName.toLowerCase());
  for (const tag of tags) expect(allowedTags, `unexpected <${tag}>`).toContain(tag);
  expect(root.querySelector("script, img:not([alt='']), svg, iframe, b, i")).toBeNull();
  for (const element of root.querySelectorAll("*")) {
    for (const attribute of element.getAttributeNames()) expect(attribute).not.toMatch(/^on/);
    expect(element.getAttribute("href") ?? "").not.toMatch(/^javascript:/i);
  }
  expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  const shown = `${root.textContent ?? ""}${[...root.querySelectorAll("textarea")].map((area) => area.value).join("")}`;
  expect(shown).toContain(text);
}

const account = (name: string): AccountView => ({ id: "1001", kind: "page", name, status: "ok" });

function job(text: string, state: JobView["state"]): JobView {
  return {
    id: "3141592653589793238:1001",
    state,
    kind: "photo",
    targetId: "1001",
    service: "Facebook",
    targetName: text,
    permalink: "https://www.instagram.com/p/C9xYz_AbCdE/",
    message: text,
    postUrl: state === "shared" ? "https://www.facebook.com/1001_1" : undefined,
    error: state === "failed" ? text : undefined,
    createdAt: 0,
    updatedAt: 0,
  };
}

describe.each(Object.entries(HOSTILE_TEXTS))("%s text", (_name, text) => {
  it("shows as text in the composer's caption preview and target names", () => {
    const root = mount(
      <ComposerPanel
        t={english}
        choosing
        onChoosingChange={() => undefined}
        permalinkLater={false}
        on
        onToggle={() => undefined}
        accounts={[account(text)]}
        targets={["1001"]}
        onTargetsChange={() => undefined}
        message={text}
        onMessageChange={() => undefined}
        overLimit={text.length > 63_206}
      />,
    );
    expectOnlyText(root, text, [
      "div",
      "span",
      "button",
      "label",
      "textarea",
      "p",
      "fieldset",
      "legend",
      "input",
    ]);
    expect(root.querySelector("textarea")?.value).toBe(text);
  });

  it.each(["failed", "shared", "needs-signin"] as const)(
    "shows as text in the in-page status line (%s)",
    (state) => {
      const root = mount(
        <ShareStatus
          t={english}
          jobs={[job(text, state)]}
          onRetry={() => undefined}
          onDismiss={() => undefined}
        />,
      );
      // One shared target shows no name; a failure shows the target and Facebook's words.
      expectOnlyText(root, state === "failed" ? text : "", ["div", "span", "button", "a"]);
      for (const link of root.querySelectorAll("a"))
        expect(link.getAttribute("href")).toMatch(/^https:\/\/www\.facebook\.com\//);
    },
  );

  it("shows as text in the popup's share list", () => {
    const root = mount(
      <JobList
        jobs={[job(text, "failed")]}
        onRetry={() => undefined}
        onConfirm={() => undefined}
        onCancel={() => undefined}
        now={0}
      />,
    );
    expectOnlyText(root, text, ["ul", "li", "span", "div", "strong", "a", "button", "time"]);
  });
});
