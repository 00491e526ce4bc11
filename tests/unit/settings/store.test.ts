import { describe, expect, it } from "vitest";
import { recentEvents } from "@/lib/db/events";
import { openDatabase } from "@/lib/db/open";
import { DEFAULT_SETTINGS } from "@/lib/settings/schema";
import { loadSettings, SETTINGS_UNREADABLE, updateSettings } from "@/lib/settings/store";

describe("settings changed by patch", () => {
  it("two changes to different settings both stay, whatever order they land in", async () => {
    await Promise.all([
      updateSettings({ autoShare: { reel: true } }),
      updateSettings({ notifications: { onSuccess: true } }),
      updateSettings({ autoShare: { photo: true } }),
    ]);
    const settings = await loadSettings();
    expect(settings.autoShare).toEqual({ ...DEFAULT_SETTINGS.autoShare, reel: true, photo: true });
    expect(settings.notifications).toEqual({ ...DEFAULT_SETTINGS.notifications, onSuccess: true });
  });

  it("a change computed from the stored settings sees the one before it", async () => {
    await updateSettings({ lastTargets: ["1001", "1002"] });
    await updateSettings((current) => ({ lastTargets: current.lastTargets.filter((id) => id !== "1001") }));
    expect((await loadSettings()).lastTargets).toEqual(["1002"]);
  });

  it("refuses a patch that would make the settings invalid, and changes nothing", async () => {
    await updateSettings({ rememberLastChoice: false });
    await expect(updateSettings({ caption: { hashtagLimit: 99 } })).rejects.toThrow();
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, rememberLastChoice: false });
  });

  it("never writes over an unreadable record: the change is refused in words and reported", async () => {
    const broken = { version: 1, autoShare: "yes please" };
    await (await openDatabase()).put("settings", broken, "current");

    await expect(updateSettings({ autoShare: { photo: true } })).rejects.toThrow(SETTINGS_UNREADABLE);

    expect(await (await openDatabase()).get("settings", "current")).toEqual(broken);
    expect((await recentEvents(5)).map((event) => event.message)).toContain(
      "Saved settings could not be read; defaults are in use until you save.",
    );
  });
});
