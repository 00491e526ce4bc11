/** The user's own presses on a page: real input only, so a page script cannot make one. */
export interface Presses {
  /** When the last press came (`Date.now()`), or undefined before the first. */
  readonly lastAt: number | undefined;
  /** Hears every press from now on, for as long as presses are heard. */
  listen(listener: (event: Event) => void): void;
}

/**
 * Hears presses (pointers press down, then click; assistive technologies only click; keys) on the
 * window's capture phase, ahead of the page's own listeners, until `signal` aborts. Taken at
 * document_start, before any page script can register a window listener that stops them.
 */
export function hearPresses(win: Window, signal: AbortSignal): Presses {
  const listeners: ((event: Event) => void)[] = [];
  const presses = {
    lastAt: undefined as number | undefined,
    listen: (listener: (event: Event) => void) => void listeners.push(listener),
  };
  const onEvent = (event: Event) => {
    if (!event.isTrusted) return;
    presses.lastAt = Date.now();
    for (const listener of listeners) listener(event);
  };
  for (const type of ["pointerdown", "click", "keydown"])
    win.addEventListener(type, onEvent, { capture: true, signal });
  return presses;
}
