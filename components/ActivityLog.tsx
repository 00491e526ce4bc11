import { useState } from "preact/hooks";
import type { EventView } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";

const SHOWN = 25;

/** Options › Activity log: what happened, newest first (linking, unlinking, failures, data). */
export function ActivityLog({ events }: { events: EventView[] }) {
  const t = useT();
  const format = useFormat();
  const [shown, setShown] = useState(SHOWN);
  return (
    <section id="activity" aria-labelledby="activity-heading">
      <h2 id="activity-heading">{t("activityTitle")}</h2>
      {events.length === 0 ? (
        <p class="muted">{t("activityEmpty")}</p>
      ) : (
        <ul class="log">
          {events.slice(0, shown).map((event) => (
            <li key={event.id ?? `${event.at}-${event.message}`}>
              <time dateTime={new Date(event.at).toISOString()}>{format.dateTime(event.at)}</time>{" "}
              {event.message}
            </li>
          ))}
        </ul>
      )}
      {events.length > shown && (
        <button type="button" class="more" onClick={() => setShown(shown + SHOWN)}>
          {t("showMore")}
        </button>
      )}
    </section>
  );
}
