import { useState } from "preact/hooks";
import { FACEBOOK_MESSAGE_LIMIT, toFacebookMessage } from "@/lib/caption/message";
import type { CaptionRules } from "@/lib/caption/rules";
import { useFormat, useT } from "./i18n";
import type { SettingsSectionProps } from "./SharingSection";

const SAMPLE_CAPTION =
  "Golden hour at the bakery 🌅 with @acme.baker\nFresh loaves every morning!\n#sourdough #bakery #breadlover #goldenhour #baking #morning";
const SAMPLE_PERMALINK = "https://www.instagram.com/p/C0deSample1/";

const HASHTAG_OPTIONS: [CaptionRules["hashtags"], string][] = [
  ["keep", "captionHashtagsKeep"],
  ["end", "captionHashtagsEnd"],
  ["first", "captionHashtagsFirst"],
  ["drop", "captionHashtagsDrop"],
  ["comment", "captionHashtagsComment"],
];

/** Options › Caption rules: how an Instagram caption becomes the Facebook text, shown on a sample. */
export function CaptionRulesSection({ settings, onSave }: SettingsSectionProps) {
  const t = useT();
  const format = useFormat();
  const [sample, setSample] = useState(SAMPLE_CAPTION);
  const rules = settings.caption;
  const set = (patch: Partial<CaptionRules>) => onSave({ caption: patch });
  const preview = toFacebookMessage(sample, rules, SAMPLE_PERMALINK);

  return (
    <section id="caption" aria-labelledby="caption-heading">
      <h2 id="caption-heading">{t("captionTitle")}</h2>
      <label for="caption-hashtags">{t("captionHashtags")}</label>
      <select
        id="caption-hashtags"
        value={rules.hashtags}
        onChange={(event) => set({ hashtags: event.currentTarget.value as CaptionRules["hashtags"] })}
      >
        {HASHTAG_OPTIONS.map(([value, key]) => (
          <option key={value} value={value}>
            {t(key)}
          </option>
        ))}
      </select>
      {rules.hashtags === "first" && (
        <>
          <label for="caption-limit">{t("captionHashtagLimit")}</label>
          <input
            id="caption-limit"
            type="number"
            min={0}
            max={30}
            value={rules.hashtagLimit}
            onChange={(event) => {
              const limit = Number(event.currentTarget.value);
              if (Number.isInteger(limit) && limit >= 0 && limit <= 30) set({ hashtagLimit: limit });
            }}
          />
        </>
      )}
      <label for="caption-mentions">{t("captionMentions")}</label>
      <select
        id="caption-mentions"
        value={rules.mentions}
        onChange={(event) => set({ mentions: event.currentTarget.value as CaptionRules["mentions"] })}
      >
        <option value="plain">{t("captionMentionsPlain")}</option>
        <option value="link">{t("captionMentionsLink")}</option>
      </select>
      <label class="check">
        <input
          type="checkbox"
          checked={rules.appendPermalink}
          onChange={(event) => set({ appendPermalink: event.currentTarget.checked })}
        />
        {t("captionPermalink")}
      </label>
      {rules.appendPermalink && (
        <label class="check">
          <input
            type="checkbox"
            checked={rules.permalinkInComment === true}
            onChange={(event) => set({ permalinkInComment: event.currentTarget.checked })}
          />
          {t("captionPermalinkInComment")}
        </label>
      )}
      <div class="preview">
        <div>
          <label for="caption-sample">{t("captionSample")}</label>
          <textarea
            id="caption-sample"
            rows={6}
            value={sample}
            onInput={(event) => setSample(event.currentTarget.value)}
          />
        </div>
        <div>
          <Preview id="caption-preview" title={t("captionPreview")} text={preview.text} />
          {preview.overLimit && (
            <p class="error-text">{t("overLimit", [format.number(FACEBOOK_MESSAGE_LIMIT)])}</p>
          )}
          {preview.comment && (
            <Preview id="caption-comment" title={t("captionCommentPreview")} text={preview.comment} />
          )}
        </div>
      </div>
    </section>
  );
}

/** A live preview of text Facebook will show, under its title. */
function Preview({ id, title, text }: { id: string; title: string; text: string }) {
  return (
    <>
      <span class="field-title" id={`${id}-label`}>
        {title}
      </span>
      <output id={id} class="preview-text" aria-labelledby={`${id}-label`} aria-live="polite">
        {text}
      </output>
    </>
  );
}
