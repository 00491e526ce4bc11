import { useEffect, useState } from "preact/hooks";
import type { Subscribe, WatchEvent } from "@/lib/messages/pushes";
import type { AccountView, EventView, JobView, Settings, SettingsPatch } from "@/lib/messages/views";
import { AccountsSection } from "./AccountsSection";
import { ActivityLog } from "./ActivityLog";
import { CaptionRulesSection } from "./CaptionRulesSection";
import { DiagnosticsSection } from "./DiagnosticsSection";
import { useT } from "./i18n";
import { JobHistory } from "./JobHistory";
import { NotificationsSection } from "./NotificationsSection";
import { PrivacySection } from "./PrivacySection";
import { RecentPostsSection } from "./RecentPostsSection";
import { SharingSection } from "./SharingSection";
import { type Api, errorMessage } from "./useApi";
import { useJobPages } from "./useJobPages";

const SHARES_PAGE = 20;

const SECTIONS = [
  ["accounts-heading", "accounts"],
  ["sharing", "sharing"],
  ["caption", "captionTitle"],
  ["notifications", "notifyTitle"],
  ["shares", "recentShares"],
  ["instagram-posts", "recentInstagramPosts"],
  ["privacy", "privacyTitle"],
  ["diagnostics", "diagTitle"],
  ["activity", "activityTitle"],
] as const;

export interface OptionsProps {
  api: Api;
  /** What the background tells while the page is open: shares, accounts, settings, data. */
  subscribe: Subscribe;
  download: (fileName: string, text: string) => void;
  copy: (text: string) => Promise<void>;
  requestNotifications?: () => Promise<boolean>;
  /** Asks the browser for access to another service's hosts, in the click; answers whether it was given. */
  requestHosts?: (origins: string[]) => Promise<boolean>;
  now?: () => number;
}

/** The options page: every setting, the share history, and the user's data. */
export function Options({
  api,
  subscribe,
  download,
  copy,
  requestNotifications,
  requestHosts = async () => false,
  now = Date.now,
}: OptionsProps) {
  const t = useT();
  const [settings, setSettings] = useState<Settings>();
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [events, setEvents] = useState<EventView[]>([]);
  const [notice, setNotice] = useState<{ text: string; error: boolean }>();
  const [changedJob, setChangedJob] = useState<JobView>();
  // Bumped when data changed under every section (import, delete): they remount and read it again.
  const [generation, setGeneration] = useState(0);
  const history = useJobPages(api, SHARES_PAGE);
  const fail = (reason: unknown) => setNotice({ text: errorMessage(reason), error: true });

  const refresh = async () => {
    const [nextSettings, nextAccounts, nextJobs, nextEvents] = await Promise.all([
      api("settings.get", {}),
      api("accounts.list", {}),
      api("jobs.list", { limit: SHARES_PAGE }),
      api("events.list", {}),
    ]);
    setSettings(nextSettings);
    setAccounts(nextAccounts);
    history.receiveFirst(nextJobs);
    setEvents(nextEvents);
  };
  useEffect(() => {
    const stop = subscribe((event: WatchEvent) => {
      if (event.type === "job.changed") {
        history.receive(event.payload.job);
        setChangedJob(event.payload.job);
      } else if (event.type === "settings.changed") setSettings(event.payload.settings);
      else if (event.type === "accounts.changed") {
        setAccounts(event.payload.accounts);
        // Linking and unlinking are logged: the activity log follows.
        api("events.list", {}).then(setEvents, fail);
      } else {
        // Pushes may have been missed: read again, but leave what the user is doing (a question
        // open, a field typed in) unless the data under it was replaced.
        if (event.type === "data.replaced") setGeneration((value) => value + 1);
        refresh().catch(fail);
      }
    });
    refresh().catch(fail);
    return stop;
  }, [api, subscribe]);

  const save = async (patch: SettingsPatch) => {
    try {
      setSettings(await api("settings.update", { patch }));
      setNotice({ text: t("saved"), error: false });
    } catch (reason) {
      fail(reason);
      // Back to what is stored, so no box shows a choice that was not saved.
      await api("settings.get", {}).then(setSettings, () => undefined);
    }
  };

  return (
    <main class="options">
      <header class="page-head">
        <h1>{t("extName")}</h1>
      </header>
      <nav aria-label={t("optionsSections")}>
        <ul class="toc">
          {SECTIONS.map(([id, key]) => (
            <li key={id}>
              <a href={`#${id}`}>{t(key)}</a>
            </li>
          ))}
        </ul>
      </nav>
      <p class={notice?.error ? "error-text notice" : "muted notice"} role="status">
        {notice?.text}
      </p>
      <AccountsSection
        key={`accounts-${generation}`}
        api={api}
        accounts={accounts}
        onNotice={setNotice}
        copy={copy}
        caption={settings?.caption}
        requestHosts={requestHosts}
      />
      {settings && (
        <>
          <SharingSection settings={settings} accounts={accounts} onSave={(next) => void save(next)} />
          <CaptionRulesSection settings={settings} onSave={(next) => void save(next)} />
          <NotificationsSection
            settings={settings}
            onSave={(next) => void save(next)}
            requestPermission={requestNotifications}
            onNotice={setNotice}
          />
        </>
      )}
      <section id="shares" aria-labelledby="shares-heading">
        <h2 id="shares-heading">{t("recentShares")}</h2>
        <JobHistory
          api={api}
          history={history}
          now={now()}
          onError={(text) => setNotice({ text, error: true })}
        />
      </section>
      {settings && (
        <RecentPostsSection
          key={`instagram-${generation}`}
          api={api}
          accounts={accounts}
          settings={settings}
          onSave={(next) => void save(next)}
          now={now()}
          changedJob={changedJob}
          onNotice={setNotice}
        />
      )}
      <PrivacySection
        api={api}
        download={download}
        settings={settings}
        onConsent={(readInstagram) => void save({ consent: { readInstagram, at: now() } })}
      />
      <DiagnosticsSection key={`diagnostics-${generation}`} api={api} copy={copy} />
      <ActivityLog events={events} />
    </main>
  );
}
