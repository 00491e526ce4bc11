import { SERVICE_NAMES } from "../destinations/services";
import type { AccountView } from "./views";

// Apart from views.ts, whose schemas would bring zod into the composer's panel on every Instagram page.

/** The service an account's posts go to, by its name ("Facebook", "Bluesky"): a name, never translated. */
export function serviceOfAccount(account: Pick<AccountView, "kind">): string {
  return account.kind === "page" || account.kind === "profile"
    ? SERVICE_NAMES.facebook
    : SERVICE_NAMES[account.kind];
}

/** The services of these accounts, each once, Facebook first. */
export function servicesOf(accounts: Pick<AccountView, "kind">[]): string[] {
  return [...new Set(accounts.map(serviceOfAccount))].sort(
    (a, b) => Number(b === SERVICE_NAMES.facebook) - Number(a === SERVICE_NAMES.facebook),
  );
}
