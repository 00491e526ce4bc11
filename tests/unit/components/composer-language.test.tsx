// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { ComposerPanel } from "@/components/ComposerPanel";
import { ShareStatus } from "@/components/ShareStatus";
import { account } from "./support";

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/** A locale's strings, substituted the way browser.i18n does. */
function strings(locale: string) {
  const messages = JSON.parse(readFileSync(`public/_locales/${locale}/messages.json`, "utf8")) as Messages;
  return (key: string, substitutions: string[] = []) => {
    const entry = messages[key];
    if (!entry) return key;
    return entry.message.replace(/\$(\w+)\$/g, (_, name: string) =>
      (entry.placeholders?.[name.toLowerCase()]?.content ?? "").replace(
        /\$(\d)/g,
        (__, index: string) => substitutions[Number(index) - 1] ?? "",
      ),
    );
  };
}

const panel = (locale: string) => (
  <ComposerPanel
    t={strings(locale)}
    on
    onToggle={() => undefined}
    accounts={[account({ id: "1", name: "Acme Bakery" }), account({ id: "2", name: "Acme Café" })]}
    targets={["1", "2"]}
    onTargetsChange={() => undefined}
    choosing={false}
    onChoosingChange={() => undefined}
    message="Golden hour"
    onMessageChange={() => undefined}
    overLimit
    permalinkLater={false}
    acceptEvent={() => true}
  />
);

afterEach(cleanup);

describe("the composer panel speaks the language of our strings, whatever Instagram's is", () => {
  it("in Arabic: marked ar, right to left, names joined and numbers written the Arabic way", () => {
    const { container } = render(panel("ar"));
    const root = container.querySelector(".panel");
    expect(root?.getAttribute("lang")).toBe("ar");
    expect(root?.getAttribute("dir")).toBe("rtl");
    expect(screen.getByRole("switch", { name: "المشاركة على Facebook أيضًا" })).toBeTruthy();
    expect(root?.textContent).toContain(
      `إلى ${new Intl.ListFormat("ar").format(["Acme Bakery", "Acme Café"])}`,
    );
    expect(screen.getByRole("alert").textContent).toContain(new Intl.NumberFormat("ar").format(63206));
  });

  it("in German: marked de, left to right, with German lists and numbers", () => {
    const { container } = render(panel("de"));
    const root = container.querySelector(".panel");
    expect([root?.getAttribute("lang"), root?.getAttribute("dir")]).toEqual(["de", "ltr"]);
    expect(screen.getByRole("switch", { name: "Auch auf Facebook teilen" })).toBeTruthy();
    expect(root?.textContent).toContain("auf Acme Bakery und Acme Café");
    expect(screen.getByRole("alert").textContent).toBe("Zu lang für Facebook: höchstens 63.206 Zeichen.");
  });

  it("the status line after Share is marked the same way", () => {
    const { container } = render(
      <ShareStatus t={strings("ar")} jobs={[]} onRetry={() => undefined} onDismiss={() => undefined} />,
    );
    const status = container.querySelector("[role=status]");
    expect([status?.getAttribute("lang"), status?.getAttribute("dir")]).toEqual(["ar", "rtl"]);
    expect(status?.textContent).toBe("جارٍ المشاركة على Facebook…");
  });
});
