import { describe, expect, it } from "vitest";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import { type HostPermissionEvents, watchHostAccess } from "@/lib/destinations/host-access";
import {
  GRAPH_HOST_PERMISSION,
  HOST_ACCESS_MESSAGE,
  hasGraphAccess,
  withHostAccess,
} from "@/lib/facebook/host-access";
import { jobFor, linkPage, photoPost, scriptedGraph } from "../../support/fixtures";
import { quietQueue } from "./background";

/** `browser.permissions` as Firefox has it after the user turns the Graph host off (or on). */
function fakePermissions(granted: boolean) {
  const asked: string[][] = [];
  return {
    asked,
    granted,
    async contains({ origins }: { origins: string[] }) {
      asked.push(origins);
      return this.granted;
    },
  };
}

describe("the Graph host permission, taken back by the user", () => {
  it("is asked for graph.facebook.com exactly", async () => {
    const permissions = fakePermissions(true);
    expect(await hasGraphAccess(permissions)).toBe(true);
    expect(permissions.asked).toEqual([[GRAPH_HOST_PERMISSION]]);
  });

  it("counts a permissions API that fails as no access", async () => {
    const broken = {
      contains: () => Promise.reject(new Error("permissions API unavailable")),
    };
    expect(await hasGraphAccess(broken)).toBe(false);
  });

  it("makes no Graph call without access, and the share waits with a sentence that says what to do", async () => {
    const page = await linkPage();
    const post = photoPost();
    const graph = scriptedGraph();
    const permissions = fakePermissions(false);
    const { queue } = quietQueue(withHostAccess(graph.client, permissions));
    await addJobsOnce([jobFor(post, page, 1_000)]);

    await expect(queue.kick()).resolves.toBeUndefined();

    expect(graph.sent()).toHaveLength(0);
    const job = await getJob(`${post.pk}:1001`);
    expect(job).toMatchObject({ state: "queued", attempts: 0, lastError: { message: HOST_ACCESS_MESSAGE } });
    expect(job?.nextAttemptAt).toBeGreaterThan(1_000);
    expect(HOST_ACCESS_MESSAGE).toMatch(/allow access to graph\.facebook\.com/);
  });

  it("keeps the share waiting, however long access stays away, without using up its attempts", async () => {
    const page = await linkPage();
    const post = photoPost();
    let clock = 1_000;
    const { queue } = quietQueue(withHostAccess(scriptedGraph().client, fakePermissions(false)), {
      now: () => clock,
    });
    await addJobsOnce([jobFor(post, page, clock)]);
    for (let hour = 0; hour < 20; hour += 1) {
      await queue.kick();
      clock += 60 * 60_000;
    }
    expect(await getJob(`${post.pk}:1001`)).toMatchObject({ state: "queued", attempts: 0 });
  });

  it("passes calls through once access is back", async () => {
    const graph = scriptedGraph([{ id: "1001", name: "Acme Bakery" }]);
    const permissions = fakePermissions(true);
    const client = withHostAccess(graph.client, permissions);
    await expect(client.call({ method: "GET", path: "/me", token: "t" })).resolves.toEqual({
      id: "1001",
      name: "Acme Bakery",
    });
    expect(graph.sent()).toHaveLength(1);
  });

  it("says when the user grants a host (the Graph host again, another service's server), and stops listening when told", () => {
    const listeners = new Set<(permissions: { origins?: string[] }) => void>();
    const events: HostPermissionEvents = {
      onAdded: { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) },
    };
    const stop = new AbortController();
    let granted = 0;
    watchHostAccess(events, () => granted++, stop.signal);

    for (const listener of listeners) listener({ origins: [] });
    expect(granted).toBe(0);
    for (const listener of listeners) listener({ origins: [GRAPH_HOST_PERMISSION] });
    expect(granted).toBe(1);
    for (const listener of listeners) listener({ origins: ["https://mastodon.example/*"] });
    expect(granted).toBe(2);
    stop.abort();
    expect(listeners.size).toBe(0);
  });
});
