import type { browser as extensionApi } from "wxt/browser";

export const QUEUE_ALARM = "alsoshare-queue";
/** Chrome will not fire an alarm sooner than this; a timer covers shorter waits while we live. */
const MIN_ALARM_DELAY_MS = 30_000;

/**
 * Wakes the queue when its next job is due: a timer while this worker lives, and an alarm that
 * survives the worker being stopped (it restarts us, and the alarm listener kicks the queue).
 */
export function createWaker(alarms: (typeof extensionApi)["alarms"], kick: () => void, now: () => number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (at: number | undefined) => {
    clearTimeout(timer);
    if (at === undefined) {
      void alarms.clear(QUEUE_ALARM);
      return;
    }
    timer = setTimeout(kick, Math.max(0, at - now()));
    void alarms.create(QUEUE_ALARM, { when: Math.max(at, now() + MIN_ALARM_DELAY_MS) });
  };
}
