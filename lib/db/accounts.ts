import { openDatabase } from "./open";
import type { AccountRecord } from "./schema";

export async function listAccounts(): Promise<AccountRecord[]> {
  return (await openDatabase()).getAll("accounts");
}

export async function getAccount(id: string): Promise<AccountRecord | undefined> {
  return (await openDatabase()).get("accounts", id);
}

export async function putAccount(account: AccountRecord): Promise<void> {
  const db = await openDatabase();
  await db.put("accounts", account);
}

export async function deleteAccount(id: string): Promise<void> {
  await (await openDatabase()).delete("accounts", id);
}
