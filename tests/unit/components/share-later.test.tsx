// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { JobList } from "@/components/JobList";
import { ShareStatus } from "@/components/ShareStatus";
import { job, renderInEnglish, translate } from "./support";

afterEach(cleanup);

const NOW = Date.parse("2026-12-02T10:00:00Z");
const LATER = NOW + 3 * 60 * 60_000;

describe("a share for later, as the page and the lists show it", () => {
  it("says in the page that Facebook holds it, not that it is still sharing", () => {
    // Facebook has the scheduled post; the first comment waits for it to be out.
    const held = job(1, { state: "queued", postUrl: "https://www.facebook.com/1001_1", scheduledFor: LATER });
    render(<ShareStatus t={translate} jobs={[held]} onRetry={() => undefined} onDismiss={() => undefined} />);
    const line = screen.getByRole("status").textContent ?? "";
    expect(line).toContain("Scheduled on Facebook for");
    expect(line).not.toContain("Sharing");
  });

  it("lists it as Scheduled with its time, and offers Cancel until then", () => {
    const held = job(1, { state: "shared", postUrl: "https://www.facebook.com/1001_1", scheduledFor: LATER });
    const list = (now: number) => (
      <JobList
        jobs={[held]}
        now={now}
        onRetry={() => undefined}
        onConfirm={() => undefined}
        onCancel={() => undefined}
      />
    );
    renderInEnglish(list(NOW));
    expect(screen.getByText("Scheduled")).toBeTruthy();
    expect(screen.getByText(/^Publishes on Facebook at/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Cancel" })).toBeTruthy();

    // Its time has come: Facebook published it, and there is nothing to cancel.
    cleanup();
    renderInEnglish(list(LATER + 1));
    expect(screen.getByText("Shared")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Cancel" })).toBeNull();
  });
});
