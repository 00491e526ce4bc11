import { useT } from "./i18n";
import type { SettingsSectionProps } from "./SharingSection";

export interface NotificationsSectionProps extends SettingsSectionProps {
  /** Asks the browser for the notifications permission (from this click); answers if granted. */
  requestPermission?: () => Promise<boolean>;
  onNotice: (notice: { text: string; error: boolean }) => void;
}

/** Options › Notifications: a notice when a share is done, or when one fails. */
export function NotificationsSection({
  settings,
  onSave,
  requestPermission,
  onNotice,
}: NotificationsSectionProps) {
  const t = useT();
  const toggle = async (which: "onSuccess" | "onFailure", on: boolean) => {
    // The permission must be asked for inside the click; the setting is kept either way.
    if (on && requestPermission && !(await requestPermission().catch(() => false))) {
      onNotice({ text: t("notifyDenied"), error: true });
    }
    onSave({ notifications: { [which]: on } });
  };
  return (
    <section id="notifications" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">{t("notifyTitle")}</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={settings.notifications.onSuccess}
          onChange={(event) => void toggle("onSuccess", event.currentTarget.checked)}
        />
        {t("notifyOnSuccess")}
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={settings.notifications.onFailure}
          onChange={(event) => void toggle("onFailure", event.currentTarget.checked)}
        />
        {t("notifyOnFailure")}
      </label>
    </section>
  );
}
