import { useEffect, useState } from "preact/hooks";
import type { JobView } from "@/lib/messages/views";
import type { Settings } from "@/lib/settings/schema";
import { AccountsSection } from "./AccountsSection";
import { useT } from "./i18n";
import { JobList } from "./JobList";
import type { Api } from "./useApi";

const KINDS = [
  ["photo", "kindPhoto"],
  ["carousel", "kindCarousel"],
  ["video", "kindVideo"],
  ["reel", "kindReel"],
  ["story", "kindStory"],
] as const;

const messageOf = (reason: unknown) => (reason instanceof Error ? reason.message : String(reason));

/** The options page: accounts, sharing preferences and the share history. */
export function Options({ api }: { api: Api }) {
  const t = useT();
  const [settings, setSettings] = useState<Settings>();
  const [jobs, setJobs] = useState<JobView[]>([]);
  const [notice, setNotice] = useState<{ text: string; error: boolean }>();

  const refresh = async () => {
    const [nextSettings, nextJobs] = await Promise.all([
      api("settings.get", {}),
      api("jobs.list", { limit: 50 }),
    ]);
    setSettings(nextSettings);
    setJobs(nextJobs);
  };
  useEffect(() => {
    refresh().catch((reason) => setNotice({ text: messageOf(reason), error: true }));
  }, []);

  const save = async (next: Settings) => {
    try {
      setSettings(await api("settings.set", { settings: next }));
      setNotice({ text: t("saved"), error: false });
    } catch (reason) {
      setNotice({ text: messageOf(reason), error: true });
    }
  };

  const act = (type: "jobs.retry" | "jobs.cancel") => (id: string) =>
    void api(type, { id }).then(refresh, (reason) => setNotice({ text: messageOf(reason), error: true }));

  return (
    <main class="options">
      <h1>{t("extName")}</h1>
      <p class={notice?.error ? "error-text" : "muted"} role="status">
        {notice?.text}
      </p>
      <AccountsSection api={api} onChange={refresh} onNotice={setNotice} />
      {settings && (
        <section aria-labelledby="sharing-heading">
          <h2 id="sharing-heading">{t("sharing")}</h2>
          <fieldset>
            <legend>{t("autoShare")}</legend>
            {KINDS.map(([kind, label]) => (
              <label key={kind} class="check">
                <input
                  type="checkbox"
                  checked={settings.autoShare[kind]}
                  onChange={(event) =>
                    void save({
                      ...settings,
                      autoShare: { ...settings.autoShare, [kind]: event.currentTarget.checked },
                    })
                  }
                />
                {t(label)}
              </label>
            ))}
          </fieldset>
        </section>
      )}
      <section aria-labelledby="shares-heading">
        <h2 id="shares-heading">{t("recentShares")}</h2>
        {jobs.length === 0 ? (
          <p class="muted">{t("noShares")}</p>
        ) : (
          <JobList jobs={jobs} now={Date.now()} onRetry={act("jobs.retry")} onCancel={act("jobs.cancel")} />
        )}
      </section>
    </main>
  );
}
