/**
 * The private channel from Instagram's JS world (MAIN) to our isolated world. Both scripts run at
 * document_start, before any page script, and hand over a MessagePort with synchronous DOM events:
 * whoever starts second completes the handshake, and the port is gone from the DOM before the page
 * runs. Anything that arrives later on these event names is the page's, and is ignored.
 */
export const PORT_EVENT = "alsoshare:bridge-port";
export const READY_EVENT = "alsoshare:bridge-ready";

/** MAIN world: returns a function that sends one configure summary to the isolated world. */
export function offerBridge(win: Window): (summary: unknown) => void {
  const channel = new MessageChannel();
  const nonce = crypto.randomUUID();
  const handOver = () =>
    // Our isolated world takes the port by cancelling the event; nobody else can be listening yet.
    !win.dispatchEvent(
      new MessageEvent(PORT_EVENT, { data: nonce, ports: [channel.port2], cancelable: true }),
    );
  if (!handOver()) {
    const onReady = () => {
      if (handOver()) win.removeEventListener(READY_EVENT, onReady);
    };
    win.addEventListener(READY_EVENT, onReady);
  }
  return (summary) => channel.port1.postMessage(JSON.stringify({ nonce, summary }));
}
