import { logEvent } from "../db/events";
import { readSettingsRecord, writeSettingsRecord } from "../db/settings";
import { DEFAULT_SETTINGS, type Settings, settingsSchema } from "./schema";

/**
 * The unreadable record this context already reported, so reading it again (the popup does every
 * 1.5 s) does not flood the activity log.
 */
let reportedUnreadable: string | undefined;

/**
 * The settings in force. A stored record that no longer validates is kept untouched (the user may
 * export or fix it) and reported once; the defaults apply until the user saves again.
 */
export async function loadSettings(): Promise<Settings> {
  const stored = await readSettingsRecord();
  if (stored === undefined) return DEFAULT_SETTINGS;
  const parsed = settingsSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  const record = JSON.stringify(stored);
  if (record !== reportedUnreadable) {
    reportedUnreadable = record;
    await logEvent("data", "Saved settings could not be read; defaults are in use until you save.");
  }
  return DEFAULT_SETTINGS;
}

export async function saveSettings(settings: Settings): Promise<Settings> {
  const valid = settingsSchema.parse(settings);
  await writeSettingsRecord(valid);
  return valid;
}
