// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { useState } from "preact/hooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CaptionRulesSection } from "@/components/CaptionRulesSection";
import { DiagnosticsSection } from "@/components/DiagnosticsSection";
import { Options } from "@/components/Options";
import { PrivacySection } from "@/components/PrivacySection";
import { IMPORT_MAX_BYTES } from "@/lib/messages/protocol";
import type { Diagnostics, Settings } from "@/lib/messages/views";
import { applySettingsPatch } from "@/lib/settings/schema";
import { linkPage, PAGE_TOKEN } from "../../support/fixtures";
import { realBackground } from "./real-background";
import { account, fakeApi, fakeSubscription, job, NOW, renderInEnglish, settings } from "./support";

afterEach(cleanup);

const IMPORT_ERROR = "The field settings.autoShare.photo must be a boolean. Nothing was changed.";

function chooseFile(input: HTMLElement, file: File) {
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  fireEvent.change(input);
}

function renderPrivacy(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const download = vi.fn();
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
  renderInEnglish(
    <PrivacySection api={fake.api} download={download} settings={undefined} onConsent={() => undefined} />,
  );
  return { ...fake, download };
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
    await linkPage();
    const download = vi.fn();
    renderInEnglish(
      <PrivacySection
        api={realBackground().apiOf("options.html")}
        download={download}
        settings={undefined}
        onConsent={() => undefined}
      />,
    );
    const downloaded = (call: number) => {
      const [fileName, text] = download.mock.calls[call] as [string, string];
      return { fileName, file: JSON.parse(text) as { accounts: { name: string; token?: string }[] } };
    };

    fireEvent.click(screen.getByRole("button", { name: "Export settings and accounts" }));
    await screen.findByText(/^Saved alsoshare-.*\.json\.$/);
    const plain = downloaded(0);
    expect(plain.fileName).toMatch(/^alsoshare-.*\.json$/);
    expect(plain.file.accounts).toEqual([expect.objectContaining({ name: "Acme Bakery" })]);
    expect(JSON.stringify(plain.file)).not.toContain(PAGE_TOKEN);

    fireEvent.click(screen.getByRole("checkbox", { name: "Include access tokens" }));
    expect(screen.getByText(/Anyone who has this file can post to your Pages/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Export settings and accounts" }));
    await waitFor(() => expect(download).toHaveBeenCalledTimes(2));
    expect(downloaded(1).file.accounts).toEqual([
      expect.objectContaining({ name: "Acme Bakery", token: PAGE_TOKEN }),
    ]);
  });

  it("shows why an import was refused", async () => {
    const { calls } = renderPrivacy();
    chooseFile(
      screen.getByLabelText("Import from a file"),
      new File(['{"format":"alsoshare-export"}'], "a.json"),
    );
    expect((await screen.findByRole("alert")).textContent).toBe(IMPORT_ERROR);
    expect(calls.map((call) => call.type)).toEqual(["data.import"]);
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
    renderPrivacy({ "data.import": () => ({ accounts: 2 }) });
    chooseFile(screen.getByLabelText("Import from a file"), new File(["{}"], "a.json"));
    expect((await screen.findByText(/Imported your settings/)).textContent).toBe(
      "Imported your settings. Accounts added: 2.",
    );
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
          onSave={(patch) => {
            onSave(patch);
            setCurrent(applySettingsPatch(current, patch));
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
    expect(onSave).toHaveBeenLastCalledWith({ caption: { hashtags: "drop" } });
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
  function renderOptions() {
    const fake = fakeApi({
      "settings.get": () => settings(),
      "settings.update": ({ patch }) => applySettingsPatch(settings(), patch),
      "accounts.list": () => [account()],
      "accounts.app": () => ({ hasSecret: false, redirectUrl: "https://ourextensionid.chromiumapp.org/" }),
      "accounts.threadsApp": () => ({
        hasSecret: false,
        redirectUrl: "https://ourextensionid.chromiumapp.org/",
      }),
      "accounts.tumblrApp": () => ({
        hasSecret: false,
        redirectUrl: "https://ourextensionid.chromiumapp.org/",
      }),
      "jobs.list": () => [job(1, { state: "needs-signin" })],
      "events.list": () => [{ id: 1, at: NOW, type: "linked", message: "Linked the Page Acme Bakery." }],
      "instagram.recent": () => [],
      "data.diagnostics": () => ({
        about: { extensionVersion: "0.1.0", browser: "TestBrowser/1.0" },
        unrecognized: [],
        errors: [],
        jobCounts: { queued: 0, sending: 0, shared: 0, failed: 0, "needs-signin": 1, cancelled: 0 },
        accountCounts: { pages: 1, profiles: 0, needsSignin: 0 },
        report: "",
      }),
    });
    const background = fakeSubscription();
    renderInEnglish(
      <Options
        api={fake.api}
        subscribe={background.subscribe}
        download={vi.fn()}
        copy={vi.fn()}
        now={() => NOW}
      />,
    );
    return { ...fake, ...background };
  }

  it("has every section, and saves only the sharing choice made", async () => {
    const { calls } = renderOptions();
    await screen.findByText("Linked the Page Acme Bakery.");
    const headings = screen.getAllByRole("heading", { level: 2 }).map((heading) => heading.textContent);
    expect(headings).toEqual([
      "Accounts",
      "Sharing",
      "Caption rules",
      "Notifications",
      "Recent shares",
      "Recent Instagram posts",
      "Privacy & data",
      "Diagnostics",
      "Activity log",
    ]);
    expect(screen.getByText("Needs sign-in", { selector: ".state" })).toBeTruthy();

    const sharing = screen.getByRole("region", { name: "Sharing" });
    fireEvent.click(within(sharing).getByRole("checkbox", { name: "Acme Bakery" }));
    await screen.findByText("Saved.");
    expect(calls.filter((call) => call.type === "settings.update")).toEqual([
      { type: "settings.update", payload: { patch: { defaultTargets: ["1001"] } } },
    ]);
  });

  it("follows what the background pushes: shares, accounts with their log, settings", async () => {
    const { calls, push } = renderOptions();
    await screen.findByText("Linked the Page Acme Bakery.");
    // The Instagram posts are read once the settings (their caption rules) are in.
    await waitFor(() => expect(calls.map((call) => call.type)).toContain("instagram.recent"));
    const requests = calls.length;

    act(() => push({ type: "job.changed", payload: { job: job(1, { state: "queued" }) } }));
    expect(screen.getByText("Queued", { selector: ".state" })).toBeTruthy();
    expect(screen.queryByText("Needs sign-in", { selector: ".state" })).toBeNull();

    act(() =>
      push({
        type: "settings.changed",
        payload: { settings: settings({ notifications: { onSuccess: true, onFailure: true } }) },
      }),
    );
    expect(
      (screen.getByRole("checkbox", { name: "Tell me when a share is done" }) as HTMLInputElement).checked,
    ).toBe(true);
    expect(calls).toHaveLength(requests);

    act(() =>
      push({
        type: "accounts.changed",
        payload: { accounts: [account(), account({ id: "1002", name: "Acme Café" })] },
      }),
    );
    const sharing = screen.getByRole("region", { name: "Sharing" });
    expect(within(sharing).getByRole("checkbox", { name: "Acme Café" })).toBeTruthy();
    expect(document.querySelector('.accounts [data-account-id="1002"]')?.textContent).toContain("Acme Café");
    await waitFor(() => expect(calls.slice(requests).map((call) => call.type)).toEqual(["events.list"]));
  });

  it("reads again after its port came back, and leaves the question the user is answering open", async () => {
    const { calls, push } = renderOptions();
    await screen.findByText("Linked the Page Acme Bakery.");
    fireEvent.click(screen.getByRole("button", { name: "Unlink" }));
    expect(screen.getByText(/^Unlink Acme Bakery\?/)).toBeTruthy();
    const requests = calls.length;
    act(() => push({ type: "watch.resumed" }));
    await waitFor(() =>
      expect(new Set(calls.slice(requests).map((call) => call.type))).toEqual(
        new Set(["settings.get", "accounts.list", "jobs.list", "events.list"]),
      ),
    );
    expect(screen.getByText(/^Unlink Acme Bakery\?/)).toBeTruthy();
  });

  it("reads everything again when the background says all data was replaced", async () => {
    const { calls, push } = renderOptions();
    await screen.findByText("Linked the Page Acme Bakery.");
    const requests = calls.length;
    act(() => push({ type: "data.replaced", payload: {} }));
    await waitFor(() =>
      expect(new Set(calls.slice(requests).map((call) => call.type))).toEqual(
        new Set([
          "settings.get",
          "accounts.list",
          "jobs.list",
          "events.list",
          "accounts.app",
          "accounts.threadsApp",
          "accounts.tumblrApp",
          "data.diagnostics",
          "instagram.recent",
        ]),
      ),
    );
  });
});
