import type { AccountView, Settings, SettingsPatch } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";
import { KINDS } from "./kinds";

export interface SettingsSectionProps {
  settings: Settings;
  /** Sends only what the user changed, so a change made elsewhere meanwhile is kept. */
  onSave: (patch: SettingsPatch) => void;
}

/** The delays offered, in minutes: Facebook schedules 10 minutes to 30 days ahead. */
const DELAYS = [0, 10, 30, 60, 180, 1440];

/** Options › Sharing: which kinds start with the switch on, and which accounts a post goes to. */
export function SharingSection({
  settings,
  onSave,
  accounts,
}: SettingsSectionProps & { accounts: AccountView[] }) {
  const t = useT();
  const format = useFormat();
  const toggleTarget = (id: string, on: boolean) => {
    const chosen = new Set(settings.defaultTargets);
    if (on) chosen.add(id);
    else chosen.delete(id);
    onSave({ defaultTargets: accounts.map((account) => account.id).filter((key) => chosen.has(key)) });
  };
  return (
    <section id="sharing" aria-labelledby="sharing-heading">
      <h2 id="sharing-heading">{t("sharing")}</h2>
      <fieldset>
        <legend>{t("autoShare")}</legend>
        <p class="muted">{t("sharingAutoHelp")}</p>
        {KINDS.map(([kind, label]) => (
          <label key={kind} class="check">
            <input
              type="checkbox"
              checked={settings.autoShare[kind]}
              onChange={(event) => onSave({ autoShare: { [kind]: event.currentTarget.checked } })}
            />
            {t(label)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t("sharingDefaultTargets")}</legend>
        <p class="muted">{t("sharingDefaultTargetsHelp")}</p>
        {accounts.length === 0 && <p class="muted">{t("noAccounts")}</p>}
        {accounts.map((account) => (
          <label key={account.id} class="check">
            <input
              type="checkbox"
              checked={settings.defaultTargets.includes(account.id)}
              onChange={(event) => toggleTarget(account.id, event.currentTarget.checked)}
            />
            {account.name}
          </label>
        ))}
      </fieldset>
      <label for="sharing-delay">{t("sharingDelay")}</label>
      <select
        id="sharing-delay"
        aria-describedby="sharing-delay-help"
        value={String(settings.delayMinutes ?? 0)}
        onChange={(event) => onSave({ delayMinutes: Number(event.currentTarget.value) })}
      >
        {DELAYS.map((minutes) => (
          <option key={minutes} value={String(minutes)}>
            {minutes === 0 ? t("sharingDelayNow") : format.inMinutes(minutes)}
          </option>
        ))}
      </select>
      <p class="muted" id="sharing-delay-help">
        {t("sharingDelayHelp")}
      </p>
      <label class="check">
        <input
          type="checkbox"
          checked={settings.rememberLastChoice}
          onChange={(event) => onSave({ rememberLastChoice: event.currentTarget.checked })}
        />
        {t("sharingRemember")}
      </label>
    </section>
  );
}
