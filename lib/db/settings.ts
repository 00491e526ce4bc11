import { openDatabase } from "./open";

export const SETTINGS_KEY = "current";

/** The stored settings as they are; the settings module validates them. */
export async function readSettingsRecord(): Promise<unknown> {
  return (await openDatabase()).get("settings", SETTINGS_KEY);
}

export async function writeSettingsRecord(settings: unknown): Promise<void> {
  await (await openDatabase()).put("settings", settings, SETTINGS_KEY);
}
