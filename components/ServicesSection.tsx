import { useCallback, useEffect, useState } from "preact/hooks";
import type { AccountView } from "@/lib/messages/views";
import { useT } from "./i18n";
import { OwnAppForm } from "./OwnAppForm";
import type { Api } from "./useApi";
import { type Notice, useOneAction } from "./useOneAction";

/** bsky.social's sign-in host, and the hosts its accounts live on. */
const BLUESKY_HOSTS = ["https://bsky.social/*", "https://*.bsky.network/*"];
const THREADS_HOSTS = ["https://graph.threads.net/*"];
const TUMBLR_HOSTS = ["https://api.tumblr.com/*"];

export interface ServicesSectionProps {
  api: Api;
  onNotice: (notice: Notice) => void;
  /**
   * Asks the browser to let alsoshare reach these hosts; must be called in the click itself (the
   * browser allows the question only then). Answers whether the user allowed it.
   */
  requestHosts: (origins: string[]) => Promise<boolean>;
  /** An account whose sign-in died: its form is opened with what is known, to sign in again. */
  signInAgain?: AccountView;
}

/**
 * Options › Accounts › other places to share to: Bluesky with an app password, Mastodon on the
 * user's own server, Threads and Tumblr with the user's own apps there; and the services not
 * offered, with why.
 */
export function ServicesSection({ api, onNotice, requestHosts, signInAgain }: ServicesSectionProps) {
  const t = useT();
  const { busy, run, fail } = useOneAction(onNotice);
  const [identifier, setIdentifier] = useState("");
  const [appPassword, setAppPassword] = useState("");
  const [server, setServer] = useState("");
  const [instance, setInstance] = useState("");
  const [blog, setBlog] = useState("");

  useEffect(() => {
    if (signInAgain?.kind === "bluesky") setIdentifier(signInAgain.handle?.replace(/^@/, "") ?? "");
    if (signInAgain?.kind === "mastodon") setInstance(signInAgain.handle?.split("@").at(-1) ?? "");
    if (signInAgain?.kind === "tumblr") setBlog(signInAgain.handle ?? "");
  }, [signInAgain]);

  /** The host question is asked in the click, before anything is awaited. */
  const withHosts = (origins: string[], action: () => Promise<void>) => {
    const allowed = requestHosts(origins);
    void run(async () => {
      if (!(await allowed)) throw new Error(t("hostsRefused"));
      await action();
    });
  };

  const linkBluesky = (event: Event) => {
    event.preventDefault();
    const own = server.trim() ? originOf(server) : undefined;
    if (server.trim() && !own) {
      onNotice({ text: t("serverNotAddress", [server.trim()]), error: true });
      return;
    }
    withHosts(own ? [`${own}/*`] : BLUESKY_HOSTS, async () => {
      const account = await api("accounts.linkBluesky", {
        identifier,
        appPassword,
        ...(own && { server: own }),
      });
      setAppPassword("");
      onNotice({ text: t("serviceLinked", [account.handle ?? account.name, "Bluesky"]), error: false });
    });
  };

  const connectMastodon = (event: Event) => {
    event.preventDefault();
    const origin = originOf(instance.trim().split("@").at(-1) ?? "");
    if (!origin) {
      onNotice({ text: t("serverNotAddress", [instance.trim()]), error: true });
      return;
    }
    withHosts([`${origin}/*`], async () => {
      const account = await api("accounts.connectMastodon", { instance: origin });
      onNotice({ text: t("serviceLinked", [account.handle ?? account.name, "Mastodon"]), error: false });
    });
  };

  const threadsApp = useCallback(() => api("accounts.threadsApp", {}), [api]);
  const saveThreadsApp = useCallback(
    (appId: string, appSecret?: string) =>
      api("accounts.setThreadsApp", { appId, ...(appSecret && { appSecret }) }),
    [api],
  );
  const connectThreads = () =>
    withHosts(THREADS_HOSTS, async () => {
      const account = await api("accounts.connectThreads", {});
      onNotice({ text: t("serviceLinked", [account.handle ?? account.name, "Threads"]), error: false });
    });

  const tumblrApp = useCallback(() => api("accounts.tumblrApp", {}), [api]);
  const saveTumblrApp = useCallback(
    (key: string, secret?: string) => api("accounts.setTumblrApp", { key, ...(secret && { secret }) }),
    [api],
  );
  const connectTumblr = () =>
    withHosts(TUMBLR_HOSTS, async () => {
      const account = await api("accounts.connectTumblr", { ...(blog.trim() && { blog: blog.trim() }) });
      onNotice({ text: t("serviceLinked", [account.handle ?? account.name, "Tumblr"]), error: false });
    });
  const saved = (text: string) => onNotice({ text, error: false });

  return (
    <section class="services" aria-labelledby="services-heading" aria-busy={busy}>
      <h3 id="services-heading">{t("servicesHeading")}</h3>
      <p class="muted">{t("servicesHelp")}</p>

      <form onSubmit={linkBluesky} aria-labelledby="bluesky-heading">
        <h4 id="bluesky-heading">Bluesky</h4>
        <p class="muted">{t("blueskyHelp")}</p>
        <label>
          {t("blueskyHandle")}
          <input
            name="bluesky-identifier"
            value={identifier}
            autocomplete="username"
            required
            onInput={(event) => setIdentifier(event.currentTarget.value)}
          />
        </label>
        <label>
          {t("blueskyAppPassword")}
          <input
            type="password"
            name="bluesky-app-password"
            value={appPassword}
            autocomplete="off"
            required
            placeholder="xxxx-xxxx-xxxx-xxxx"
            onInput={(event) => setAppPassword(event.currentTarget.value)}
          />
        </label>
        <label>
          {t("blueskyServer")}
          <input
            name="bluesky-server"
            value={server}
            placeholder="bsky.social"
            onInput={(event) => setServer(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {t("linkBluesky")}
        </button>
      </form>

      <form onSubmit={connectMastodon} aria-labelledby="mastodon-heading">
        <h4 id="mastodon-heading">Mastodon</h4>
        <p class="muted">{t("mastodonHelp")}</p>
        <label>
          {t("mastodonServer")}
          <input
            name="mastodon-server"
            value={instance}
            required
            placeholder="mastodon.social"
            onInput={(event) => setInstance(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {t("connectMastodon")}
        </button>
      </form>

      <OwnAppForm
        service="threads"
        title="Threads"
        help={(url) => t("threadsHelp", [url])}
        labels={{
          id: t("threadsAppId"),
          secret: t("threadsAppSecret"),
          save: t("saveThreadsApp"),
          connect: t("connectThreads"),
          saved: t("threadsAppSaved"),
        }}
        load={threadsApp}
        save={saveThreadsApp}
        onConnect={connectThreads}
        {...{ busy, run, fail }}
        onSaved={saved}
      />

      <OwnAppForm
        service="tumblr"
        title="Tumblr"
        help={(url) => t("tumblrHelp", [url])}
        labels={{
          id: t("tumblrAppKey"),
          secret: t("tumblrAppSecret"),
          save: t("saveTumblrApp"),
          connect: t("connectTumblr"),
          saved: t("tumblrAppSaved"),
        }}
        load={tumblrApp}
        save={saveTumblrApp}
        onConnect={connectTumblr}
        {...{ busy, run, fail }}
        onSaved={saved}
      >
        <label>
          {t("tumblrBlog")}
          <input name="tumblr-blog" value={blog} onInput={(event) => setBlog(event.currentTarget.value)} />
        </label>
      </OwnAppForm>

      <h4>{t("notOfferedHeading")}</h4>
      <ul class="not-offered">
        <li>{t("notOfferedX")}</li>
        <li>{t("notOfferedAmeba")}</li>
        <li>{t("notOfferedOk")}</li>
      </ul>
    </section>
  );
}

/** `host` or `https://host/` as an https origin; undefined for anything else. */
function originOf(input: string): string | undefined {
  const text = input.trim();
  try {
    const url = new URL(/^https:\/\//i.test(text) ? text : `https://${text}`);
    return url.protocol === "https:" &&
      url.pathname === "/" &&
      !url.search &&
      !url.username &&
      url.hostname.includes(".")
      ? url.origin
      : undefined;
  } catch {
    return undefined;
  }
}
