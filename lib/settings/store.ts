import { logEvent } from "../db/events";
import { readSettingsRecord, updateSettingsRecord } from "../db/settings";
import {
  applySettingsPatch,
  consentSchema,
  DEFAULT_SETTINGS,
  readSettings,
  type Settings,
  type SettingsPatch,
} from "./schema";

/** Said when a change cannot be made because the stored settings no longer validate. */
export const SETTINGS_UNREADABLE =
  "Your saved settings could not be read, so this change was not saved; they are kept as they are. Import a settings file, or delete all data in Privacy & data, to start again.";

/** The stored settings record no longer validates; it is kept untouched. */
export class SettingsUnreadableError extends Error {
  override readonly name = "SettingsUnreadableError";
  constructor() {
    super(SETTINGS_UNREADABLE);
  }
}

/**
 * The unreadable record this context already reported, so reading it again (the popup does at each
 * open) does not flood the activity log.
 */
let reportedUnreadable: string | undefined;

async function reportUnreadable(stored: unknown): Promise<void> {
  const record = JSON.stringify(stored);
  if (record === reportedUnreadable) return;
  reportedUnreadable = record;
  await logEvent("data", "Saved settings could not be read; defaults are in use until you save.");
}

/**
 * The settings in force. A stored record that no longer validates is kept untouched (the user may
 * export or fix it) and reported once; the defaults apply meanwhile.
 */
export async function loadSettings(): Promise<Settings> {
  const stored = await readSettingsRecord();
  const settings = readSettings(stored);
  if (settings) return settings;
  await reportUnreadable(stored);
  return DEFAULT_SETTINGS;
}

/**
 * Whether the user consented, read from the stored record alone: a record whose other settings no
 * longer validate keeps the answer the user gave, and no record, or no answer, is no consent.
 */
export async function loadConsent(): Promise<boolean> {
  const stored = await readSettingsRecord();
  const given =
    typeof stored === "object" && stored !== null && "consent" in stored ? stored.consent : undefined;
  const consent = consentSchema.safeParse(given);
  return consent.success && consent.data.readInstagram;
}

/**
 * Changes some settings over the stored record, in one transaction: `change` gets the settings as
 * stored at that moment and answers a patch; an empty patch writes nothing. An unreadable record is
 * never replaced: the change is refused with `SettingsUnreadableError`, and reported.
 */
export async function updateSettings(
  change: SettingsPatch | ((current: Settings) => SettingsPatch),
): Promise<Settings> {
  let unreadable: { stored: unknown } | undefined;
  let unchanged: Settings | undefined;
  const next = await updateSettingsRecord((stored) => {
    const current = readSettings(stored);
    if (!current) {
      unreadable = { stored };
      return undefined;
    }
    const patch = typeof change === "function" ? change(current) : change;
    // Nothing to change: nothing is written.
    if (Object.values(patch).every((value) => value === undefined)) {
      unchanged = current;
      return undefined;
    }
    return applySettingsPatch(current, patch);
  });
  if (unreadable) {
    await reportUnreadable(unreadable.stored);
    throw new SettingsUnreadableError();
  }
  return unchanged ?? (next as Settings);
}
