import { formatOf } from "@/components/format";
import type { Translate } from "@/components/i18n";
import { FACEBOOK_MESSAGE_LIMIT } from "@/lib/caption/message";
import { serviceOfAccount, servicesOf } from "@/lib/messages/service-names";
import type { AccountView } from "@/lib/messages/views";

export interface ComposerPanelProps {
  t: Translate;
  on: boolean;
  /** Absent: no switch, the panel is the choice itself (a post page's "Share to Facebook"). */
  onToggle?: () => void;
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
  /** The options' default delay for Page posts, in minutes (0: at once). */
  delayMinutes?: number;
  /** This post's own time, if the user chose one: "now", or epoch ms. */
  when?: "now" | number;
  /** Absent: no choice of time is offered. */
  onWhenChange?: (when: "now" | number | undefined) => void;
  /** The clock, for the time picker's bounds. */
  now?: number;
  /** Instagram's own "Share to Facebook" toggle in this step is on: it will post to Facebook too. */
  instagramSharesToo?: boolean;
  /** Our scripts came after the page's (a tab open before install): the switch waits for a reload. */
  needsReload?: boolean;
  /** Only a real user's input may change the choice; a page script's `.click()` may not. */
  acceptEvent?: (event: Event) => boolean;
}

export const trustedOnly = (event: Event) => event.isTrusted;

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
  // With only Facebook linked, the switch and the targets read as they always did; with other
  // services linked, each target says where it is.
  const services = servicesOf(props.accounts);
  const elsewhere = services.length > 1 || services[0] !== serviceOfAccount({ kind: "page" });
  const nameOf = (account: AccountView) =>
    elsewhere ? t("accountOnService", [account.name, serviceOfAccount(account)]) : account.name;
  const length = Array.from(props.message).length;
  const shortenedFor = servicesOf(
    chosen.filter((account) => account.textLimit !== undefined && length > account.textLimit),
  );
  const toggleTarget = (id: string, checked: boolean) =>
    props.onTargetsChange(checked ? [...props.targets, id] : props.targets.filter((target) => target !== id));

  return (
    // Our strings' language and direction, which may not be the page's (Instagram's own setting).
    <div class="panel" lang={format.locale} dir={format.dir}>
      {props.onToggle && (
        <div class="row">
          <span class="label" id="alsoshare-switch-label">
            {elsewhere ? t("switchLabelTo", [format.list(services)]) : t("switchLabel")}
          </span>
          <button
            type="button"
            role="switch"
            class="switch"
            aria-checked={props.on}
            aria-labelledby="alsoshare-switch-label"
            disabled={props.accounts.length === 0 || props.needsReload}
            onClick={(event) => {
              if (accept(event)) props.onToggle?.();
            }}
          >
            <span class="knob" />
          </button>
        </div>
      )}
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
                  ? t("toTargets", [format.list(chosen.map(nameOf))])
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
                    {nameOf(account)}
                  </label>
                ))}
              </fieldset>
            )}
            <label class="caption">
              <span class="hint">{elsewhere ? t("shareText") : t("facebookText")}</span>
              <textarea
                rows={3}
                value={props.message}
                onInput={(event) => accept(event) && props.onMessageChange(event.currentTarget.value)}
              />
            </label>
            {props.onWhenChange && <WhenChoice {...props} onWhenChange={props.onWhenChange} />}
            {props.permalinkLater && <p class="hint">{t("composerPermalinkLater")}</p>}
            {props.firstComment && <p class="hint">{t("firstCommentLine", [props.firstComment])}</p>}
            {props.permalinkInComment && <p class="hint">{t("composerPermalinkInComment")}</p>}
            {shortenedFor.length > 0 && <p class="hint">{t("shortenedFor", [format.list(shortenedFor)])}</p>}
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

/** Facebook schedules a Page post 10 minutes ahead at least. */
const SOONEST_MS = 10 * 60_000;
const HOUR_MS = 60 * 60_000;

/**
 * When the post goes to the Pages: the options' default, now, or a time the user picks; Facebook
 * holds a scheduled post and publishes it itself.
 */
function WhenChoice(props: ComposerPanelProps & Required<Pick<ComposerPanelProps, "onWhenChange">>) {
  const { t, when, now = Date.now(), delayMinutes = 0 } = props;
  const format = formatOf(t);
  const accept = props.acceptEvent ?? trustedOnly;
  const mode = typeof when === "number" ? "at" : (when ?? "default");
  const soonest = now + SOONEST_MS;
  const choose = (value: string) =>
    props.onWhenChange(value === "at" ? roundedUp(now + HOUR_MS) : value === "now" ? "now" : undefined);
  return (
    <>
      <label class="caption">
        <span class="hint">{t("composerWhen")}</span>
        <select value={mode} onChange={(event) => accept(event) && choose(event.currentTarget.value)}>
          <option value="default">
            {delayMinutes > 0 ? format.inMinutes(delayMinutes) : t("composerWhenNow")}
          </option>
          {delayMinutes > 0 && <option value="now">{t("composerWhenNow")}</option>}
          <option value="at">{t("composerWhenAt")}</option>
        </select>
      </label>
      {typeof when === "number" && (
        <input
          type="datetime-local"
          aria-label={t("composerWhenTime")}
          min={localTime(soonest)}
          value={localTime(when)}
          onChange={(event) => {
            const at = new Date(event.currentTarget.value).getTime();
            if (accept(event) && Number.isFinite(at)) props.onWhenChange(at);
          }}
        />
      )}
      {(mode === "at" || (mode === "default" && delayMinutes > 0)) && (
        <p class="hint">
          {t(typeof when === "number" && when < soonest ? "composerWhenTooSoon" : "composerWhenHint")}
        </p>
      )}
    </>
  );
}

/** `at` as a datetime-local field shows it: the computer's local time, to the minute. */
function localTime(at: number): string {
  const date = new Date(at - new Date(at).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
}

/** The next quarter hour from `at`: a time people pick. */
function roundedUp(at: number): number {
  const quarter = 15 * 60_000;
  return Math.ceil(at / quarter) * quarter;
}
