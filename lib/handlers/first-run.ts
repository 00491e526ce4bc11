import { loadConsent } from "../settings/store";

/** Our first-run page: what alsoshare reads and why, and the user's consent. */
export const WELCOME_PAGE = "/welcome.html";

/**
 * Opens the first-run page on a new install, and on an update that finds no consent (a user of a
 * version before consent would otherwise just lose the switch, not knowing why). Not when a consent
 * is already stored: Firefox keeps the storage of an add-on removed and installed again.
 */
export async function welcomeOnInstall(
  reason: string,
  openPage: (path: string) => Promise<void>,
): Promise<void> {
  if ((reason !== "install" && reason !== "update") || (await loadConsent())) return;
  await openPage(WELCOME_PAGE);
}
