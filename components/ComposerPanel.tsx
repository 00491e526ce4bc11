import { useState } from "preact/hooks";
import type { AccountView } from "@/lib/messages/views";
import { useT } from "./i18n";

export interface ComposerPanelProps {
  on: boolean;
  onToggle: () => void;
  accounts: AccountView[];
  targets: string[];
  onTargetsChange: (ids: string[]) => void;
  message: string;
  onMessageChange: (text: string) => void;
  overLimit: boolean;
  /** Only a real user's click may turn sharing on or off; a page script's `.click()` may not. */
  acceptEvent?: (event: Event) => boolean;
}

const trustedOnly = (event: Event) => event.isTrusted;

/** The switch in Instagram's composer, with where the post goes and what Facebook will read. */
export function ComposerPanel(props: ComposerPanelProps) {
  const t = useT();
  const accept = props.acceptEvent ?? trustedOnly;
  const [choosing, setChoosing] = useState(false);
  const chosen = props.accounts.filter((account) => props.targets.includes(account.id));
  const toggleTarget = (id: string, checked: boolean) =>
    props.onTargetsChange(checked ? [...props.targets, id] : props.targets.filter((target) => target !== id));

  return (
    <div class="panel">
      <div class="row">
        <span class="label" id="alsoshare-switch-label">
          {t("switchLabel")}
        </span>
        <button
          type="button"
          role="switch"
          class="switch"
          aria-checked={props.on}
          aria-labelledby="alsoshare-switch-label"
          disabled={props.accounts.length === 0}
          onClick={(event) => {
            if (accept(event)) props.onToggle();
          }}
        >
          <span class="knob" />
        </button>
      </div>
      {props.accounts.length === 0 ? (
        <p class="hint">{t("noTargets")}</p>
      ) : (
        props.on && (
          <>
            <div class="row">
              <span class="hint">
                {t("toTargets", [chosen.map((account) => account.name).join(", ") || "—"])}
              </span>
              <button
                type="button"
                class="link"
                aria-expanded={choosing}
                onClick={(event) => accept(event) && setChoosing(!choosing)}
              >
                {choosing ? t("done") : t("change")}
              </button>
            </div>
            {choosing && (
              <fieldset class="targets">
                {props.accounts.map((account) => (
                  <label key={account.id}>
                    <input
                      type="checkbox"
                      checked={props.targets.includes(account.id)}
                      onChange={(event) =>
                        accept(event) && toggleTarget(account.id, event.currentTarget.checked)
                      }
                    />
                    {account.name}
                  </label>
                ))}
              </fieldset>
            )}
            <label class="caption">
              <span class="hint">{t("facebookText")}</span>
              <textarea
                rows={3}
                value={props.message}
                onInput={(event) => accept(event) && props.onMessageChange(event.currentTarget.value)}
              />
            </label>
            {props.overLimit && (
              <p class="warning" role="alert">
                {t("overLimit")}
              </p>
            )}
          </>
        )
      )}
    </div>
  );
}
