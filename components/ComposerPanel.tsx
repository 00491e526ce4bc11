import { formatOf } from "@/components/format";
import type { Translate } from "@/components/i18n";
import { FACEBOOK_MESSAGE_LIMIT } from "@/lib/caption/message";
import type { AccountView } from "@/lib/messages/views";

export interface ComposerPanelProps {
  t: Translate;
  on: boolean;
  onToggle: () => void;
  accounts: AccountView[];
  targets: string[];
  onTargetsChange: (ids: string[]) => void;
  /** Whether the list of targets is open for changes. */
  choosing: boolean;
  onChoosingChange: (open: boolean) => void;
  message: string;
  onMessageChange: (text: string) => void;
  overLimit: boolean;
  /** The rules add "See it on Instagram: <link>" once the post exists. */
  permalinkLater: boolean;
  /** What the caption rules put in the Facebook post's first comment, as far as known before sharing. */
  firstComment?: string;
  /** The permalink goes in the first comment once the post exists. */
  permalinkInComment?: boolean;
  /** Instagram's own "Share to Facebook" toggle in this step is on: it will post to Facebook too. */
  instagramSharesToo?: boolean;
  /** Our scripts came after the page's (a tab open before install): the switch waits for a reload. */
  needsReload?: boolean;
  /** Only a real user's input may change the choice; a page script's `.click()` may not. */
  acceptEvent?: (event: Event) => boolean;
}

const trustedOnly = (event: Event) => event.isTrusted;

/**
 * The switch in Instagram's composer, with where the post goes and what Facebook will read.
 * Stateless and hook-free, strings passed in: preact/hooks and a context would add 1.9 kB (gzip) to
 * the content script every instagram.com page loads.
 */
export function ComposerPanel(props: ComposerPanelProps) {
  const { t } = props;
  const format = formatOf(t);
  const accept = props.acceptEvent ?? trustedOnly;
  const chosen = props.accounts.filter((account) => props.targets.includes(account.id));
  const toggleTarget = (id: string, checked: boolean) =>
    props.onTargetsChange(checked ? [...props.targets, id] : props.targets.filter((target) => target !== id));

  return (
    // Our strings' language and direction, which may not be the page's (Instagram's own setting).
    <div class="panel" lang={format.locale} dir={format.dir}>
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
          disabled={props.accounts.length === 0 || props.needsReload}
          onClick={(event) => {
            if (accept(event)) props.onToggle();
          }}
        >
          <span class="knob" />
        </button>
      </div>
      {props.instagramSharesToo && <p class="hint">{t("instagramSharesToo")}</p>}
      {props.needsReload ? (
        <p class="hint">{t("composerNeedsReload")}</p>
      ) : props.accounts.length === 0 ? (
        <p class="hint">{t("noTargets")}</p>
      ) : (
        props.on && (
          <>
            <div class="row">
              <span class="hint">
                {chosen.length > 0
                  ? t("toTargets", [format.list(chosen.map((account) => account.name))])
                  : t("composerNoTargetChosen")}
              </span>
              <button
                type="button"
                class="link"
                aria-expanded={props.choosing}
                onClick={(event) => accept(event) && props.onChoosingChange(!props.choosing)}
              >
                {props.choosing ? t("done") : t("change")}
              </button>
            </div>
            {props.choosing && (
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
            {props.permalinkLater && <p class="hint">{t("composerPermalinkLater")}</p>}
            {props.firstComment && <p class="hint">{t("firstCommentLine", [props.firstComment])}</p>}
            {props.permalinkInComment && <p class="hint">{t("composerPermalinkInComment")}</p>}
            {props.overLimit && (
              <p class="warning" role="alert">
                {t("overLimit", [format.number(FACEBOOK_MESSAGE_LIMIT)])}
              </p>
            )}
          </>
        )
      )}
    </div>
  );
}
