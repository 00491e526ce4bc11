import { useState } from "preact/hooks";
import {
  type BlockedFeature,
  missingRequired,
  type PermissionCheck,
  type TokenCheckView,
} from "@/lib/messages/link-checks";
import type { ConnectionView, SignInCheckView } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";

/** What each missing permission stops, as the user reads it. */
const BLOCKS_KEYS: Record<BlockedFeature, string> = {
  "listing-pages": "blocksListingPages",
  posting: "blocksPosting",
  "posting-and-finding": "blocksPostingAndFinding",
  reels: "blocksReels",
  "past-posts": "blocksPastPosts",
};

const STATE_KEYS: Record<PermissionCheck["state"], string> = {
  granted: "permissionGranted",
  declined: "permissionDeclined",
  missing: "permissionMissing",
};

/** Sign-ins that may have ended on Facebook's own error page (a wrong App ID, a redirect URL not added). */
const APP_SETUP_SUSPECTS = new Set(["cancelled", "malformed", "refused"]);

/** Each permission alsoshare asks for: granted or not, and what a missing one stops. */
export function PermissionList({ checks }: { checks: PermissionCheck[] }) {
  const t = useT();
  return (
    <ul class="permission-checks">
      {checks.map((check) => (
        <li key={check.scope} class={`permission-${check.state}`} data-scope={check.scope}>
          <span aria-hidden="true">{check.state === "granted" ? "✓ " : "✗ "}</span>
          <code>{check.scope}</code> — <span class="permission-state">{t(STATE_KEYS[check.state])}</span>
          {!check.required && <span class="muted"> {t("permissionOptional")}</span>}
          {check.state !== "granted" && <p class="permission-blocks">{t(BLOCKS_KEYS[check.blocks])}</p>}
        </li>
      ))}
    </ul>
  );
}

/** The test sign-in's findings: the app, the permissions, the Pages one may and may not post to. */
export function SignInReport({ report, savedAppId }: { report: SignInCheckView; savedAppId?: string }) {
  const t = useT();
  const format = useFormat();
  if (report.outcome === "failed") {
    return (
      <div class="check-report" id="sign-in-report">
        <p class="error-text">{report.message}</p>
        {APP_SETUP_SUSPECTS.has(report.reason) && <p>{t("signInFailedHint")}</p>}
      </div>
    );
  }
  if (report.outcome === "other-app") {
    return (
      <div class="check-report" id="sign-in-report">
        <p class="error-text">{t("signInOtherApp", [report.appId, savedAppId ?? ""])}</p>
      </div>
    );
  }
  const missing = missingRequired(report.permissions);
  const postable = report.pages?.filter((page) => page.canPost) ?? [];
  const roleless = report.pages?.filter((page) => !page.canCreateContent) ?? [];
  return (
    <div class="check-report" id="sign-in-report">
      <h4>{t("permissionsHeading")}</h4>
      <PermissionList checks={report.permissions} />
      <p class={missing.length > 0 ? "error-text" : "ok-text"}>
        {missing.length > 0 ? t("permissionsMissing") : t("permissionsAllGranted")}
      </p>
      <h4>{t("pagesHeading")}</h4>
      {report.pages === undefined && <p>{t("pagesNotListed")}</p>}
      {report.pages?.length === 0 && <p>{t("noPagesFound")}</p>}
      {postable.length > 0 && (
        <p class="ok-text">{t("pagesPostable", [format.list(postable.map((page) => page.name))])}</p>
      )}
      {roleless.length > 0 && (
        <ul class="page-checks">
          {roleless.map((page) => (
            <li key={page.id} class="error-text" data-page-id={page.id}>
              {t("pageNoCreateContent", [page.name])}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A pasted token, as Facebook describes it: a Page token (which, with what, until when) or not. */
export function TokenReport({ check }: { check: TokenCheckView }) {
  const t = useT();
  const format = useFormat();
  return (
    <div class="check-report" id="token-report">
      {check.kind === "refused" && (
        <>
          <p class="error-text">{t("tokenRefused")}</p>
          {check.reason && <p class="muted">{check.reason}</p>}
        </>
      )}
      {check.kind === "user" && <p class="error-text">{t("tokenIsUser", [check.name])}</p>}
      {check.kind === "other" && <p class="error-text">{t("tokenIsOther", [check.type])}</p>}
      {check.kind === "page" && (
        <>
          <p class="ok-text">{t("tokenIsPage", [check.pageName])}</p>
          <p>
            {check.expiresAt === undefined
              ? t("tokenNeverExpires")
              : t("tokenExpiresOn", [format.dateTime(check.expiresAt)])}
          </p>
          <h4>{t("tokenPermissions")}</h4>
          <PermissionList checks={check.permissions} />
          {missingRequired(check.permissions).length > 0 && (
            <p class="error-text">{t("tokenMissingPermissions")}</p>
          )}
        </>
      )}
    </div>
  );
}

export interface PagePickerProps {
  connection: ConnectionView;
  busy: boolean;
  onLink: (pageIds: string[]) => void;
  onCancel: () => void;
}

/** The Pages found at sign-in, to pick; those the user's role may not post to cannot be picked. */
export function PagePicker({ connection, busy, onLink, onCancel }: PagePickerProps) {
  const t = useT();
  const [picked, setPicked] = useState(
    () => new Set(connection.pages.filter((page) => page.linked && page.canPost).map((page) => page.id)),
  );
  return (
    <form
      class="page-picker"
      onSubmit={(event) => {
        event.preventDefault();
        onLink([...picked]);
      }}
    >
      <fieldset>
        <legend>{t("pickPages")}</legend>
        {connection.pages.map((page) => (
          <label key={page.id} class="check">
            <input
              type="checkbox"
              value={page.id}
              disabled={!page.canPost}
              checked={picked.has(page.id)}
              onChange={(event) => {
                const next = new Set(picked);
                if (event.currentTarget.checked) next.add(page.id);
                else next.delete(page.id);
                setPicked(next);
              }}
            />
            {page.pictureUrl && <img src={page.pictureUrl} alt="" width={24} height={24} />}
            <span class="page-name">{page.name}</span>
            {!page.canPost && <span class="muted"> — {t("cannotPost")}</span>}
            {page.linked && <span class="muted"> — {t("alreadyLinked")}</span>}
          </label>
        ))}
      </fieldset>
      <div class="inline">
        <button type="submit" class="primary" disabled={busy || picked.size === 0}>
          {t("linkPicked")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
