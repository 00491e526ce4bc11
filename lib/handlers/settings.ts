import { recentEvents } from "../db/events";
import { loadSettings, updateSettings } from "../settings/store";
import type { HandlerDeps, HandlersFor } from "./deps";

/** Preferences and the activity log. */
export function createSettingsHandlers(
  deps: HandlerDeps,
): HandlersFor<"settings.get" | "settings.set" | "events.list"> {
  return {
    async "settings.get"() {
      return loadSettings();
    },

    async "settings.set"({ settings }) {
      const saved = await updateSettings(settings);
      deps.onSettingsChanged();
      return saved;
    },

    async "events.list"() {
      return recentEvents(200);
    },
  };
}
