import type { Diagnostics } from "../data/diagnostics";
import type { AccountRecord, EventRecord, JobRecord, JobState } from "../db/schema";
import type { PostKind } from "../instagram/post";
import type { Settings } from "../settings/schema";

/**
 * What other contexts see of our records. Built by picking fields, never by dropping them, so a
 * token added to a record later cannot leak out through a view.
 */
export interface AccountView {
  id: string;
  kind: AccountRecord["kind"];
  name: string;
  pictureUrl?: string;
  status: AccountRecord["status"];
  tokenExpiresAt?: number;
}

export function accountView(account: AccountRecord): AccountView {
  return {
    id: account.id,
    kind: account.kind,
    name: account.name,
    pictureUrl: account.pictureUrl,
    status: account.status,
    tokenExpiresAt: account.tokenExpiresAt,
  };
}

/** The user's Meta app as our pages see it: whether a secret is stored, never the secret. */
export interface AppSetupView {
  appId?: string;
  hasSecret: boolean;
  /** This browser's `identity.getRedirectURL()`, to paste into the Meta app. */
  redirectUrl: string;
}

/** A Page found at sign-in, offered for linking: no token. */
export interface PageChoice {
  id: string;
  name: string;
  pictureUrl?: string;
  canPost: boolean;
  linked: boolean;
}

export interface ConnectionView {
  connectionId: string;
  pages: PageChoice[];
}

export interface JobView {
  id: string;
  state: JobState;
  kind: PostKind;
  targetId: string;
  targetName: string;
  permalink: string;
  thumbnailUrl?: string;
  message: string;
  postUrl?: string;
  error?: string;
  createdAt: number;
  updatedAt: number;
}

export function jobView(job: JobRecord): JobView {
  return {
    id: job.id,
    state: job.state,
    kind: job.post.kind,
    targetId: job.targetId,
    targetName: job.targetName,
    permalink: job.permalink,
    thumbnailUrl: job.post.media.find((item) => item.type === "image")?.url,
    message: job.message,
    postUrl: job.result?.url,
    error: job.lastError?.message,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** Sent by the background to the Instagram tab that asked for a share. */
export interface ShareUpdate {
  type: "share.update";
  pk: string;
  jobs: JobView[];
}

/** What the composer needs to draw the switch: names and choices, no token. */
export interface ComposerContext {
  accounts: AccountView[];
  settings: Pick<Settings, "autoShare" | "caption">;
  /** The targets the switch proposes for the next post. */
  proposedTargets: string[];
}

/** What the popup draws first. */
export interface PopupState {
  accounts: AccountView[];
  settings: Settings;
  jobs: JobView[];
}

export interface Responses {
  "composer.context": ComposerContext;
  "share.request": JobView[];
  "share.status": JobView[];
  "share.retry": JobView[];
  "composer.unrecognized": null;
  "accounts.list": AccountView[];
  "accounts.linkToken": AccountView;
  "accounts.unlink": null;
  "accounts.app": AppSetupView;
  "accounts.setApp": AppSetupView;
  "accounts.connect": ConnectionView;
  "accounts.linkPages": AccountView[];
  "accounts.linkProfile": AccountView;
  "settings.get": Settings;
  "settings.set": Settings;
  "jobs.list": JobView[];
  "jobs.retry": JobView;
  "jobs.retryFailed": number;
  "jobs.cancel": JobView;
  "events.list": EventRecord[];
  "popup.state": PopupState;
  "data.export": { fileName: string; text: string };
  "data.import": { accounts: number };
  "data.clear": null;
  "data.diagnostics": Diagnostics;
}
