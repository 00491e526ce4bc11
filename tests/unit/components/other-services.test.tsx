// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { ComposerPanel } from "@/components/ComposerPanel";
import { ShareStatus } from "@/components/ShareStatus";
import type { AccountView } from "@/lib/messages/views";
import { account, job, translate } from "./support";

afterEach(cleanup);

const page = account();
const bluesky = account({
  id: "bluesky:did:plc:acme",
  kind: "bluesky",
  name: "Acme Bakery",
  handle: "@acme.bsky.social",
  textLimit: 300,
});

function panel(accounts: AccountView[], message = "Fresh loaves") {
  render(
    <ComposerPanel
      t={translate}
      on={true}
      onToggle={() => undefined}
      accounts={accounts}
      targets={accounts.map((item) => item.id)}
      onTargetsChange={() => undefined}
      choosing={true}
      onChoosingChange={() => undefined}
      message={message}
      onMessageChange={() => undefined}
      overLimit={false}
      permalinkLater={false}
    />,
  );
}

describe("the composer's switch with other services linked", () => {
  it("reads as it always did while only Facebook is linked", () => {
    panel([page]);
    expect(screen.getByRole("switch", { name: "Also share to Facebook" })).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Acme Bakery" })).toBeTruthy();
  });

  it("names every service, and each target says where it is", () => {
    panel([page, bluesky]);
    expect(screen.getByRole("switch", { name: "Also share to Facebook and Bluesky" })).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Acme Bakery on Facebook" })).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Acme Bakery on Bluesky" })).toBeTruthy();
  });

  it("says a text too long for Bluesky is shortened there, with a link to the post", () => {
    panel([page, bluesky], "x".repeat(301));
    expect(
      screen.getByText("Too long for Bluesky: it is shortened there, with a link to your post on Instagram."),
    ).toBeTruthy();
  });
});

describe("the in-page status with other services", () => {
  it("names the services the post went to, Facebook first, each link with its service", () => {
    const shared = [
      job(1, {
        targetId: "bluesky:did:plc:acme",
        service: "Bluesky",
        postUrl: "https://bsky.app/profile/x/post/y",
      }),
      job(1, { service: "Facebook", postUrl: "https://www.facebook.com/1001_1" }),
    ];
    render(<ShareStatus t={translate} jobs={shared} onRetry={() => undefined} onDismiss={() => undefined} />);
    const line = screen.getByRole("status").textContent ?? "";
    expect(line).toContain("Shared to Facebook and Bluesky");
    expect(screen.getByRole("link", { name: "View post (Acme Bakery on Bluesky)" })).toBeTruthy();
  });
});
