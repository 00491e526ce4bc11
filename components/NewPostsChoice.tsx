import { useState } from "preact/hooks";
import type { NewPostsView, Settings, SettingsPatch } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";
import { KINDS } from "./kinds";
import { type Api, errorMessage } from "./useApi";
import type { Notice } from "./useOneAction";

export interface NewPostsChoiceProps {
  api: Api;
  settings: Settings;
  onSave: (patch: SettingsPatch) => void;
  now: number;
  onNotice: (notice: Notice) => void;
}

/** The kinds Instagram's API lists: it lists no stories. */
const LISTED = KINDS.filter(([kind]) => kind !== "story") as readonly (readonly [
  keyof NonNullable<Settings["newPosts"]>,
  string,
])[];

/**
 * Options › Recent Instagram posts › share new posts made anywhere (the phone app too), per kind,
 * off until the user turns a kind on; and when alsoshare last looked.
 */
export function NewPostsChoice({ api, settings, onSave, now, onNotice }: NewPostsChoiceProps) {
  const t = useT();
  const format = useFormat();
  const [looked, setLooked] = useState<NewPostsView>();
  const [looking, setLooking] = useState(false);
  const on = LISTED.some(([kind]) => settings.newPosts?.[kind]);

  const lookNow = () => {
    setLooking(true);
    api("newPosts.look", {})
      .then(setLooked, (reason: unknown) => onNotice({ text: errorMessage(reason), error: true }))
      .finally(() => setLooking(false));
  };

  return (
    <fieldset class="new-posts">
      <legend>{t("newPostsTitle")}</legend>
      <p class="muted">{t("newPostsHelp")}</p>
      {LISTED.map(([kind, label]) => (
        <label key={kind} class="check">
          <input
            type="checkbox"
            checked={settings.newPosts?.[kind] ?? false}
            onChange={(event) => onSave({ newPosts: { [kind]: event.currentTarget.checked } })}
          />
          {t(label)}
        </label>
      ))}
      {on && (
        <div class="row">
          <button type="button" onClick={lookNow} disabled={looking}>
            {t("newPostsLookNow")}
          </button>
          {looked?.lastCheckedAt !== undefined && (
            <span class="muted" role="status">
              {t("newPostsLooked", [format.timeAgo(looked.lastCheckedAt, now)])}
            </span>
          )}
        </div>
      )}
      {looked?.lastError && <p class="error-text">{looked.lastError}</p>}
    </fieldset>
  );
}
