// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { useState } from "preact/hooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CaptionRulesSection } from "@/components/CaptionRulesSection";
import { DiagnosticsSection } from "@/components/DiagnosticsSection";
import { Options } from "@/components/Options";
import { PrivacySection } from "@/components/PrivacySection";
import type { Diagnostics } from "@/lib/data/diagnostics";
import { IMPORT_MAX_BYTES } from "@/lib/data/transfer";
import type { Settings } from "@/lib/settings/schema";
import { account, fakeApi, job, NOW, renderInEnglish, settings } from "./support";

afterEach(cleanup);

const IMPORT_ERROR = "The field settings.autoShare.photo must be a boolean. Nothing was changed.";

function chooseFile(input: HTMLElement, file: File) {
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  fireEvent.change(input);
}

function renderPrivacy(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const download = vi.fn();
  const onChange = vi.fn(async () => undefined);
  const fake = fakeApi({
    "data.export": ({ includeTokens }) => ({
      fileName: "alsoshare-2026-08-01.json",
      text: includeTokens ? '{"token":"EAAG…"}' : "{}",
    }),
    "data.import": () => {
      throw new Error(IMPORT_ERROR);
    },
    "data.clear": () => null,
    ...overrides,
  });
  renderInEnglish(<PrivacySection api={fake.api} download={download} onChange={onChange} />);
  return { ...fake, download, onChange };
}

describe("Options › Privacy & data", () => {
  it("says what is stored and where", () => {
    renderPrivacy();
    const section = screen.getByRole("region", { name: "Privacy & data" });
    expect(section.textContent).toContain(
      "stays in this browser, in the extension’s own storage (IndexedDB)",
    );
    expect(section.textContent).toContain("access token");
  });

  it("exports without access tokens unless the box is ticked", async () => {
    const { calls, download } = renderPrivacy();
    fireEvent.click(screen.getByRole("button", { name: "Export settings and accounts" }));
    await screen.findByText("Saved alsoshare-2026-08-01.json.");
    expect(calls).toEqual([{ type: "data.export", payload: { includeTokens: false } }]);
    expect(download).toHaveBeenCalledWith("alsoshare-2026-08-01.json", "{}");

    fireEvent.click(screen.getByRole("checkbox", { name: "Include access tokens" }));
    expect(screen.getByText(/Anyone who has this file can post to your Pages/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Export settings and accounts" }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toEqual({ type: "data.export", payload: { includeTokens: true } });
  });

  it("shows why an import was refused", async () => {
    const { calls, onChange } = renderPrivacy();
    chooseFile(
      screen.getByLabelText("Import from a file"),
      new File(['{"format":"alsoshare-export"}'], "a.json"),
    );
    expect((await screen.findByRole("alert")).textContent).toBe(IMPORT_ERROR);
    expect(calls.map((call) => call.type)).toEqual(["data.import"]);
    expect(onChange).not.toHaveBeenCalled();
  });

  it("refuses a file over 5 MB without sending it", async () => {
    const { calls } = renderPrivacy();
    chooseFile(
      screen.getByLabelText("Import from a file"),
      new File(["x".repeat(IMPORT_MAX_BYTES + 1)], "big.json"),
    );
    expect((await screen.findByRole("alert")).textContent).toContain("larger than 5 MB");
    expect(calls).toEqual([]);
  });

  it("imports a good file and says how many accounts came", async () => {
    const { onChange } = renderPrivacy({ "data.import": () => ({ accounts: 2 }) });
    chooseFile(screen.getByLabelText("Import from a file"), new File(["{}"], "a.json"));
    expect((await screen.findByText(/Imported your settings/)).textContent).toBe(
      "Imported your settings and 2 account(s).",
    );
    expect(onChange).toHaveBeenCalledOnce();
  });

  it("deletes everything only after the user confirms", async () => {
    const { calls } = renderPrivacy();
    fireEvent.click(screen.getByRole("button", { name: "Delete all data…" }));
    const question = screen.getByRole("group");
    expect(question.textContent).toContain("This cannot be undone.");
    await waitFor(() => expect(document.activeElement).toBe(question));
    fireEvent.click(within(question).getByRole("button", { name: "Keep my data" }));
    expect(calls).toEqual([]);

    fireEvent.click(screen.getByRole("button", { name: "Delete all data…" }));
    fireEvent.click(screen.getByRole("button", { name: "Delete everything" }));
    await screen.findByText("All alsoshare data in this browser was deleted.");
    expect(calls).toEqual([{ type: "data.clear", payload: { confirm: "delete everything" } }]);
  });
});

describe("Options › Caption rules", () => {
  function renderRules(initial: Settings) {
    const onSave = vi.fn();
    // The page keeps the saved settings and hands them back down, as Options does.
    function Page() {
      const [current, setCurrent] = useState(initial);
      return (
        <CaptionRulesSection
          settings={current}
          onSave={(next) => {
            onSave(next);
            setCurrent(next);
          }}
        />
      );
    }
    renderInEnglish(<Page />);
    return onSave;
  }
  const preview = () => document.querySelector("#caption-preview")?.textContent ?? "";

  it("previews the Facebook text of the sample caption, live, as rules change", () => {
    const onSave = renderRules(settings());
    expect(preview()).toContain("#sourdough #bakery");

    fireEvent.change(screen.getByLabelText("Hashtags"), { target: { value: "drop" } });
    expect(onSave).toHaveBeenLastCalledWith(
      expect.objectContaining({ caption: expect.objectContaining({ hashtags: "drop" }) }),
    );
    expect(preview()).not.toContain("#");
    expect(preview()).toContain("Golden hour at the bakery 🌅 with @acme.baker");

    fireEvent.change(screen.getByLabelText("Mentions (@name)"), { target: { value: "link" } });
    expect(preview()).toContain("with instagram.com/acme.baker");

    fireEvent.input(screen.getByLabelText("Sample caption (try your own)"), {
      target: { value: "My own words #mine" },
    });
    expect(preview()).toBe("My own words");
  });

  it("adds the permalink line when asked", () => {
    renderRules(settings());
    fireEvent.click(screen.getByRole("checkbox", { name: "Add a link to the Instagram post at the end" }));
    expect(preview()).toMatch(/\n\nSee it on Instagram: https:\/\/www\.instagram\.com\/p\//);
  });
});

describe("Options › Diagnostics", () => {
  const diagnostics: Diagnostics = {
    about: { extensionVersion: "0.1.0", browser: "TestBrowser/1.0" },
    unrecognized: [{ at: NOW, message: "Composer not recognized on 2026-08-01: no caption box" }],
    errors: [],
    jobCounts: { queued: 0, sending: 0, shared: 3, failed: 0, "needs-signin": 0, cancelled: 0 },
    accountCounts: { pages: 1, profiles: 0, needsSignin: 0 },
    report: "alsoshare diagnostics\nextension: 0.1.0",
  };

  it("shows recognition problems, versions and a report to copy", async () => {
    const copy = vi.fn(async () => undefined);
    const { api } = fakeApi({ "data.diagnostics": () => diagnostics });
    renderInEnglish(<DiagnosticsSection api={api} copy={copy} />);
    expect(await screen.findByText(/no caption box/)).toBeTruthy();
    expect(screen.getByText("No errors.")).toBeTruthy();
    expect(screen.getByText("TestBrowser/1.0")).toBeTruthy();
    expect((screen.getByLabelText("Report") as HTMLTextAreaElement).value).toBe(diagnostics.report);
    fireEvent.click(screen.getByRole("button", { name: "Copy report" }));
    await screen.findByText("Report copied.");
    expect(copy).toHaveBeenCalledWith(diagnostics.report);
  });
});

describe("the options page", () => {
  it("has every section, and saves a sharing choice", async () => {
    const fake = fakeApi({
      "settings.get": () => settings(),
      "settings.set": ({ settings: next }) => next,
      "accounts.list": () => [account()],
      "jobs.list": () => [job(1, { state: "needs-signin" })],
      "events.list": () => [{ id: 1, at: NOW, type: "linked", message: "Linked the Page Acme Bakery." }],
      "data.diagnostics": () => ({
        about: { extensionVersion: "0.1.0", browser: "TestBrowser/1.0" },
        unrecognized: [],
        errors: [],
        jobCounts: { queued: 0, sending: 0, shared: 0, failed: 0, "needs-signin": 1, cancelled: 0 },
        accountCounts: { pages: 1, profiles: 0, needsSignin: 0 },
        report: "",
      }),
    });
    renderInEnglish(<Options api={fake.api} download={vi.fn()} copy={vi.fn()} now={() => NOW} />);
    await screen.findByText("Linked the Page Acme Bakery.");
    const headings = screen.getAllByRole("heading", { level: 2 }).map((heading) => heading.textContent);
    expect(headings).toEqual([
      "Accounts",
      "Sharing",
      "Caption rules",
      "Notifications",
      "Recent shares",
      "Privacy & data",
      "Diagnostics",
      "Activity log",
    ]);
    expect(screen.getByText("Needs sign-in", { selector: ".state" })).toBeTruthy();

    const sharing = screen.getByRole("region", { name: "Sharing" });
    fireEvent.click(within(sharing).getByRole("checkbox", { name: "Acme Bakery" }));
    await screen.findByText("Saved.");
    const saved = fake.calls.find((call) => call.type === "settings.set")?.payload as { settings: Settings };
    expect(saved.settings.defaultTargets).toEqual(["1001"]);
  });
});
