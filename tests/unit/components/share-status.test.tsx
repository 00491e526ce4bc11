// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { ShareStatus } from "@/components/ShareStatus";
import type { JobView } from "@/lib/messages/views";
import { job, translate } from "./support";

afterEach(cleanup);

const status = (jobs: JobView[]) =>
  render(<ShareStatus t={translate} jobs={jobs} onRetry={() => undefined} onDismiss={() => undefined} />);

describe("the in-page status of a share the user checked on the Page", () => {
  it("says Shared to Facebook and offers no link Facebook never gave", () => {
    status([job(1, { state: "shared", checkedByUser: true })]);
    expect(screen.getByRole("status").textContent).toContain("Shared to Facebook");
    expect(screen.queryByText("View post")).toBeNull();
    expect(document.querySelectorAll("a")).toHaveLength(0);
  });

  it("beside another Page's share, links only the post Facebook gave, named for its Page", () => {
    status([
      job(1, { state: "shared", checkedByUser: true }),
      job(2, {
        state: "shared",
        targetId: "1002",
        targetName: "Acme Café",
        postUrl: "https://www.facebook.com/1002_1",
      }),
    ]);
    const links = screen.getAllByRole("link");
    expect(links.map((link) => [link.textContent, link.getAttribute("href")])).toEqual([
      ["View post (Acme Café)", "https://www.facebook.com/1002_1"],
    ]);
  });
});
