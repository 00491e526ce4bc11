import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { createBlueskyDestination } from "@/lib/bluesky/destination";
import { watchHostAccess, withOriginAccess } from "@/lib/destinations/host-access";
import { createMediaDownload } from "@/lib/destinations/media-download";
import { facebookDestinations } from "@/lib/facebook/destinations";
import { createGraphClient, GRAPH_TIMEOUT_MS } from "@/lib/facebook/graph";
import { withHostAccess } from "@/lib/facebook/host-access";
import { createHandlers } from "@/lib/handlers";
import { loadAppCredentials, loadTumblrApp } from "@/lib/handlers/app-credentials";
import { welcomeOnInstall } from "@/lib/handlers/first-run";
import { createNewPostsWatcher, keepWatching, NEW_POSTS_ALARM } from "@/lib/handlers/new-posts";
import { createMastodonDestination } from "@/lib/mastodon/destination";
import { createRouter } from "@/lib/messages/router";
import { createWatchHub } from "@/lib/messages/watch";
import { createNotifier } from "@/lib/queue/notify";
import { createQueue } from "@/lib/queue/queue";
import { createWaker, QUEUE_ALARM } from "@/lib/queue/wake";
import { loadSettings } from "@/lib/settings/store";
import { createThreadsDestination } from "@/lib/threads/destination";
import { createTumblrDestination } from "@/lib/tumblr/destination";

export default defineBackground({
  type: "module",
  main() {
    const now = () => Date.now();
    // Firefox lets the user take the Graph host away: then shares wait and say why.
    const graph = withHostAccess(
      createGraphClient((input, init) => fetch(input, init)),
      browser.permissions,
    );
    const identity = { id: browser.runtime.id, origin: location.origin };
    const watchers = createWatchHub(identity);
    const notifier = createNotifier(browser, loadSettings, watchers);
    const onJobChanged = notifier.jobChanged;
    const plainFetch: typeof fetch = (input, init) => fetch(input, init);
    // The other services' servers are reached only while the user lets us (asked at link time).
    const serviceFetch = withOriginAccess(plainFetch, browser.permissions);
    const download = createMediaDownload(plainFetch, GRAPH_TIMEOUT_MS);
    const queue = createQueue({
      destinations: {
        ...facebookDestinations({
          graph,
          download: createMediaDownload(plainFetch, GRAPH_TIMEOUT_MS, "Facebook"),
          openTab: async (url) => {
            await browser.tabs.create({ url });
          },
          appId: async () => (await loadAppCredentials())?.appId,
        }),
        bluesky: createBlueskyDestination({ fetch: serviceFetch, download }),
        threads: createThreadsDestination({ fetch: serviceFetch }),
        mastodon: createMastodonDestination({ fetch: serviceFetch, download }),
        tumblr: createTumblrDestination({ fetch: serviceFetch, download, app: loadTumblrApp }),
      },
      isOnline: () => navigator.onLine,
      now,
      random: Math.random,
      owner: crypto.randomUUID(),
      onJobChanged,
      onAccountsChanged: notifier.accountsChanged,
      scheduleWake: createWaker(browser.alarms, () => void queue.kick(), now),
    });
    const handlerDeps = {
      graph,
      queue,
      now,
      onJobChanged,
      onAccountsChanged: notifier.accountsChanged,
      onSettingsChanged: () => {
        notifier.settingsChanged();
        void keepWatching(browser.alarms, newPosts);
      },
      onDataReplaced: () => {
        notifier.dataReplaced();
        void keepWatching(browser.alarms, newPosts);
      },
    };
    const newPosts = createNewPostsWatcher(handlerDeps);
    const route = createRouter(createHandlers(handlerDeps, newPosts), identity);

    // Registered at the top of the worker's life, so a message or alarm that woke us is not missed.
    browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
    browser.runtime.onConnect.addListener(watchers.accept);
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === QUEUE_ALARM) void queue.kick();
      if (alarm.name === NEW_POSTS_ALARM) void newPosts.look();
    });
    browser.runtime.onStartup.addListener(() => void queue.kick());
    browser.runtime.onInstalled.addListener(({ reason }) => {
      void welcomeOnInstall(reason, async (path) => {
        // A path: tabs.create resolves it against our own origin.
        await browser.tabs.create({ url: path });
      });
    });
    // Listens for the worker's whole life: this signal is never aborted.
    watchHostAccess(browser.permissions, () => void queue.kick(), new AbortController().signal);
    // Workers have no `online` event in some browsers; the queue then rechecks on a timer.
    self.addEventListener("online", () => void queue.networkBack());
    void queue.kick();
    void keepWatching(browser.alarms, newPosts);
  },
});
