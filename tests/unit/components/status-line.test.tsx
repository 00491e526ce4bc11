// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { createStatusLine } from "@/entrypoints/composer.content/in-page";
import type { RequestType } from "@/lib/messages/protocol";
import type { ShareStatusView } from "@/lib/messages/views";
import { translate } from "./support";

const PK = "3100000000000000001";
const job = (state: ShareStatusView["state"]): ShareStatusView => ({
  id: `${PK}:1001`,
  state,
  targetName: "Acme Bakery",
  service: "Facebook",
  ...(state === "shared" && { postUrl: "https://www.facebook.com/1001_5" }),
});

let stop = new AbortController();
afterEach(() => {
  stop.abort();
  stop = new AbortController();
  document.body.replaceChildren();
});

const settle = async () => {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** The status line over a background that answers share.status with `answers`, one per ask, when released. */
function statusLine(answers: ShareStatusView[][]) {
  const asked: { type: RequestType; payload: unknown; answer: () => void }[] = [];
  const api = {
    t: translate,
    request: (type: RequestType, payload: unknown) =>
      new Promise<unknown>((resolve) => {
        const answer = answers[asked.length] ?? [];
        asked.push({ type, payload, answer: () => resolve(answer) });
      }),
  } as unknown as Parameters<typeof createStatusLine>[2];
  return { status: createStatusLine(document, stop.signal, api), asked };
}

const shown = () => document.querySelector("alsoshare-status")?.shadowRoot?.textContent ?? "";

describe("the in-page status line, told by the background that a post's shares changed", () => {
  it("reads the shares of the post it shows with share.status, and shows them", async () => {
    const { status, asked } = statusLine([[job("shared")]]);
    status.show(PK, [job("queued")]);
    status.changed(PK);
    expect(asked.map(({ type, payload }) => [type, payload])).toEqual([["share.status", { pk: PK }]]);
    asked[0]?.answer();
    await settle();
    expect(shown()).toContain(translate("statusShared"));
  });

  it("asks nothing about a post it does not show", () => {
    const { status, asked } = statusLine([]);
    status.show(PK, [job("queued")]);
    status.changed("3100000000000000002");
    expect(asked).toEqual([]);
  });

  it("shows the newest read when two answers come back in the other order", async () => {
    const { status, asked } = statusLine([[job("sending")], [job("shared")]]);
    status.show(PK, [job("queued")]);
    status.changed(PK);
    status.changed(PK);
    asked[1]?.answer();
    await settle();
    asked[0]?.answer();
    await settle();
    expect(shown()).toContain(translate("statusShared"));
  });
});
