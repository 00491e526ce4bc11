import { recentEvents } from "../db/events";
import { eventView } from "../messages/views";
import { loadSettings, updateSettings } from "../settings/store";
import type { HandlerDeps, HandlersFor } from "./deps";

/** Preferences and the activity log. */
export function createSettingsHandlers(
  deps: Pick<HandlerDeps, "onSettingsChanged">,
): HandlersFor<"settings.get" | "settings.update" | "events.list"> {
  return {
    async "settings.get"() {
      return loadSettings();
    },

    async "settings.update"({ patch }) {
      // An unreadable stored record is refused by updateSettings in a sentence the router passes on.
      const saved = await updateSettings(patch);
      deps.onSettingsChanged();
      return saved;
    },

    async "events.list"() {
      return (await recentEvents(200)).map(eventView);
    },
  };
}
