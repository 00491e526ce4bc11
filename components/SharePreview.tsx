import { useState } from "preact/hooks";
import { FACEBOOK_MESSAGE_LIMIT, toFacebookMessage } from "@/lib/caption/message";
import type { CaptionRules } from "@/lib/caption/rules";
import { useFormat, useT } from "./i18n";

export interface PreviewPage {
  id: string;
  name: string;
  pictureUrl?: string;
}

/** An example permalink for the "See it on Instagram" line; no post of the user's is read. */
const SAMPLE_PERMALINK = "https://www.instagram.com/p/C0deSample1/";

export interface SharePreviewProps {
  rules: CaptionRules;
  /** The Pages a share could go to: linked ones, and those just checked. */
  pages: PreviewPage[];
}

/**
 * The wizard's last step: what a share to a Page will look like, the sample caption passed through
 * the user's caption rules. Drawn here alone: nothing is sent to Facebook.
 */
export function SharePreview({ rules, pages }: SharePreviewProps) {
  const t = useT();
  const format = useFormat();
  const [pageId, setPageId] = useState<string>();
  const [sample, setSample] = useState(() => t("previewSampleCaption"));
  const page = pages.find((candidate) => candidate.id === pageId) ?? pages[0];
  const message = toFacebookMessage(sample, rules, SAMPLE_PERMALINK);

  return (
    <div class="share-preview-step">
      <h3 id="share-preview-heading">{t("previewHeading")}</h3>
      <p class="muted">{t("previewHelp")}</p>
      {!page && <p>{t("previewNoPage")}</p>}
      {page && (
        <>
          {pages.length > 1 && (
            <>
              <label for="preview-page">{t("previewPage")}</label>
              <select
                id="preview-page"
                value={page.id}
                onChange={(event) => setPageId(event.currentTarget.value)}
              >
                {pages.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.name}
                  </option>
                ))}
              </select>
            </>
          )}
          <label for="preview-caption">{t("previewCaption")}</label>
          <textarea
            id="preview-caption"
            rows={3}
            value={sample}
            onInput={(event) => setSample(event.currentTarget.value)}
          />
          <figure class="share-preview" aria-labelledby="share-preview-label">
            <figcaption id="share-preview-label" class="muted">
              {t("previewNothingPosted", [page.name])}
            </figcaption>
            <div class="post-head">
              {page.pictureUrl && <img src={page.pictureUrl} alt="" width={32} height={32} />}
              <span class="page-name" id="share-preview-page">
                {page.name}
              </span>
            </div>
            <p class="post-text" id="share-preview-text">
              {message.text}
            </p>
            <div class="post-media muted">{t("previewMedia")}</div>
          </figure>
          {message.overLimit && (
            <p class="error-text">{t("overLimit", [format.number(FACEBOOK_MESSAGE_LIMIT)])}</p>
          )}
        </>
      )}
    </div>
  );
}
