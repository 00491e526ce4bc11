// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ServicesSection } from "@/components/ServicesSection";
import { account, fakeApi, renderInEnglish } from "./support";

afterEach(cleanup);

const REDIRECT = "https://ourextensionid.chromiumapp.org/";

function renderServices(options: { allow?: boolean } = {}) {
  const onNotice = vi.fn();
  const order: string[] = [];
  let tumblrSecret = false;
  const requestHosts = vi.fn(async (origins: string[]) => {
    order.push(`hosts ${origins.join(" ")}`);
    return options.allow ?? true;
  });
  const fake = fakeApi({
    "accounts.threadsApp": () => ({ hasSecret: false, redirectUrl: REDIRECT }),
    "accounts.tumblrApp": () => ({ hasSecret: tumblrSecret, redirectUrl: REDIRECT }),
    "accounts.setTumblrApp": ({ key, secret }) => {
      order.push(`save ${key} ${secret ? "with" : "without"} secret`);
      tumblrSecret ||= secret !== undefined;
      return { appId: key, hasSecret: tumblrSecret, redirectUrl: REDIRECT };
    },
    "accounts.connectTumblr": ({ blog }) => {
      order.push(`connect tumblr ${blog ?? "(primary)"}`);
      return account({
        id: "tumblr:t:abcdefghijklmnop",
        kind: "tumblr",
        name: "Acme",
        handle: "acme-bakery",
      });
    },
    "accounts.connectMastodon": ({ instance }) => {
      order.push(`connect ${instance}`);
      return account({
        id: "mastodon:1@mastodon.example",
        kind: "mastodon",
        name: "Acme",
        handle: "@acme@mastodon.example",
      });
    },
  });
  renderInEnglish(<ServicesSection api={fake.api} onNotice={onNotice} requestHosts={requestHosts} />);
  return { ...fake, onNotice, requestHosts, order };
}

describe("other places to share to, in the options", () => {
  it("asks the browser for the one Mastodon server named, in the click, before signing in there", async () => {
    const { order, onNotice, requestHosts } = renderServices();
    fireEvent.input(screen.getByLabelText("Your server"), { target: { value: "@acme@mastodon.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Connect Mastodon" }));

    // Asked synchronously in the click: the browser allows the question only there.
    expect(requestHosts).toHaveBeenCalledWith(["https://mastodon.example/*"]);
    await waitFor(() =>
      expect(onNotice).toHaveBeenCalledWith({
        text: "@acme@mastodon.example on Mastodon is linked.",
        error: false,
      }),
    );
    expect(order).toEqual(["hosts https://mastodon.example/*", "connect https://mastodon.example"]);
  });

  it("links nothing when the user does not allow the server, and says why", async () => {
    const { calls, onNotice } = renderServices({ allow: false });
    fireEvent.input(screen.getByLabelText("Your server"), { target: { value: "mastodon.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Connect Mastodon" }));

    await waitFor(() =>
      expect(onNotice).toHaveBeenCalledWith({
        text: expect.stringContaining("did not give alsoshare access to that server"),
        error: true,
      }),
    );
    expect(calls.map((call) => call.type)).not.toContain("accounts.connectMastodon");
  });

  it("refuses what is not a server address before asking for anything", () => {
    const { onNotice, requestHosts } = renderServices();
    fireEvent.input(screen.getByLabelText("Your server"), {
      target: { value: "http://mastodon.example:8080/x" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Connect Mastodon" }));

    expect(requestHosts).not.toHaveBeenCalled();
    expect(onNotice).toHaveBeenCalledWith({
      text: "“http://mastodon.example:8080/x” is not a server address like mastodon.social.",
      error: true,
    });
  });

  it("saves the Tumblr app, then connects the blog named, asking for api.tumblr.com in the click", async () => {
    const { order, onNotice, requestHosts } = renderServices();
    const connect = screen.getByRole("button", { name: "Connect Tumblr" });
    // Nothing to sign in with until the app's secret is saved.
    expect(connect).toHaveProperty("disabled", true);
    expect(await screen.findByText(new RegExp(`OAuth2 redirect URL.*${REDIRECT}`))).toBeTruthy();
    fireEvent.input(screen.getByLabelText("OAuth consumer key"), { target: { value: "k".repeat(50) } });
    fireEvent.input(screen.getByLabelText("Secret key"), { target: { value: "s".repeat(50) } });
    fireEvent.click(screen.getByRole("button", { name: "Save Tumblr app" }));
    await waitFor(() =>
      expect(onNotice).toHaveBeenCalledWith({
        text: "Tumblr app saved. Now press “Connect Tumblr”.",
        error: false,
      }),
    );
    expect(screen.getByLabelText("Secret key")).toHaveProperty("value", "");

    fireEvent.input(screen.getByLabelText("Blog (leave empty for your main blog)"), {
      target: { value: " acme-bakery " },
    });
    await waitFor(() => expect(connect).toHaveProperty("disabled", false));
    fireEvent.click(connect);
    expect(requestHosts).toHaveBeenCalledWith(["https://api.tumblr.com/*"]);
    await waitFor(() =>
      expect(onNotice).toHaveBeenCalledWith({ text: "acme-bakery on Tumblr is linked.", error: false }),
    );
    expect(order).toEqual([
      `save ${"k".repeat(50)} with secret`,
      "hosts https://api.tumblr.com/*",
      "connect tumblr acme-bakery",
    ]);
  });

  it("says plainly why X, Ameba and OK.ru are not offered", () => {
    renderServices();
    const reasons = screen.getAllByRole("listitem").map((item) => item.textContent ?? "");
    expect(reasons.find((text) => text.startsWith("X (Twitter)"))).toMatch(/charges for every post/);
    expect(reasons.find((text) => text.startsWith("Ameba"))).toMatch(/closed its posting API/);
    expect(reasons.find((text) => text.startsWith("OK.ru"))).toMatch(/approve/);
    expect(reasons.find((text) => text.startsWith("Tumblr"))).toBeUndefined();
  });
});
