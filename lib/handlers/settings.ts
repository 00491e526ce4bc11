import { recentEvents } from "../db/events";
import { MessageError } from "../messages/protocol";
import { eventView } from "../messages/views";
import type { Settings } from "../settings/schema";
import {
  loadSettings,
  SETTINGS_UNREADABLE,
  SettingsUnreadableError,
  updateSettings,
} from "../settings/store";
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
      let saved: Settings;
      try {
        saved = await updateSettings(patch);
      } catch (error) {
        if (error instanceof SettingsUnreadableError) throw new MessageError("failed", SETTINGS_UNREADABLE);
        throw error;
      }
      deps.onSettingsChanged();
      return saved;
    },

    async "events.list"() {
      return (await recentEvents(200)).map(eventView);
    },
  };
}
