// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { ComposerPanel } from "@/components/ComposerPanel";
import { ShareStatus } from "@/components/ShareStatus";
import { account, job, translate } from "./support";

afterEach(cleanup);

const cafe = (state: "queued" | "shared") =>
  job(1, { state, targetId: "1002", targetName: "Acme Café", postUrl: "https://www.facebook.com/1002_1" });

/** The Bakery's share, settled by Instagram's own cross-post: alsoshare sent nothing there. */
const bakeryByInstagram = job(2, {
  state: "shared",
  targetId: "1001",
  targetName: "Acme Bakery",
  postUrl: "https://www.facebook.com/1221000000001",
  sharedByInstagram: true,
});

const status = (jobs: ReturnType<typeof cafe>[]) =>
  render(<ShareStatus t={translate} jobs={jobs} onRetry={() => undefined} onDismiss={() => undefined} />);

describe("the in-page status of a post Instagram cross-posted itself", () => {
  it("names the Page Instagram posted to, beside the share still going to the other", () => {
    status([cafe("queued"), bakeryByInstagram]);
    expect(screen.getByRole("status").textContent).toContain("Instagram already shared this to Acme Bakery");
    expect(screen.getByRole("status").textContent).toContain("Sharing to Facebook");
  });

  it("is done, not 'Sharing…', when Instagram's own post was the only one", () => {
    status([bakeryByInstagram]);
    expect(screen.getByRole("status").textContent).toContain("Instagram already shared this to Acme Bakery");
    expect(screen.getByRole("status").textContent).not.toContain("Sharing");
    expect(screen.getByRole("button", { name: "Dismiss" })).toBeTruthy();
  });
});

describe("the switch beside Instagram's own Share to Facebook toggle", () => {
  const panel = (instagramSharesToo: boolean) =>
    render(
      <ComposerPanel
        t={translate}
        on={false}
        onToggle={() => undefined}
        accounts={[account()]}
        targets={["1001"]}
        onTargetsChange={() => undefined}
        choosing={false}
        onChoosingChange={() => undefined}
        message=""
        onMessageChange={() => undefined}
        overLimit={false}
        permalinkLater={false}
        instagramSharesToo={instagramSharesToo}
      />,
    );

  it("says Instagram will share to Facebook too when its toggle is on", () => {
    panel(true);
    expect(screen.getByText("Instagram will share this to Facebook too")).toBeTruthy();
  });

  it("says nothing of it when Instagram's toggle is off", () => {
    panel(false);
    expect(screen.queryByText("Instagram will share this to Facebook too")).toBeNull();
  });
});
