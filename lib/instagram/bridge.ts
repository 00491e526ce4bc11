/**
 * The private channel from Instagram's JS world (MAIN) to our isolated world. Both scripts run at
 * document_start, before any page script, and hand over a MessagePort with synchronous DOM events:
 * whoever starts second completes the handshake, and the port is gone from the DOM before the page
 * runs. Anything that arrives later on these event names is the page's, and is ignored.
 */
export const PORT_EVENT = "alsoshare:bridge-port";
export const READY_EVENT = "alsoshare:bridge-ready";
/**
 * The one thing the isolated world ever says back over the port: read (consent given) or stop
 * (anything else). Until it says read, the network observer looks at no request and no answer.
 */
export const READ_SIGNAL = "read";

/**
 * Whether our scripts run before the page's, as at a normal document_start. Firefox also injects
 * them into tabs already open when the add-on is installed, updated or enabled: the page's scripts
 * ran first there and may be listening, so no channel is offered or taken in such a tab.
 */
export function startedBeforePage(doc: Document): boolean {
  return doc.readyState === "loading" && doc.getElementsByTagName("script").length === 0;
}

/** The MAIN world's end: whether it may read, and how it sends one configure summary. */
export interface OfferedBridge {
  /** True only once our isolated world took the port and said the user consented. */
  reading(): boolean;
  send(summary: string): void;
}

/**
 * MAIN world: offers the port, or answers undefined when the page's scripts ran before ours.
 * `post` is MessagePort's own postMessage, taken before the page could replace it.
 */
export function offerBridge(win: Window, post: MessagePort["postMessage"]): OfferedBridge | undefined {
  if (!startedBeforePage(win.document)) return undefined;
  const channel = new MessageChannel();
  let reading = false;
  // Only the holder of port2 can speak here, and the isolated world took it before any page script.
  channel.port1.onmessage = (event) => {
    reading = event.data === READ_SIGNAL;
  };
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
  return {
    reading: () => reading,
    send: (summary) => Reflect.apply(post, channel.port1, [`{"nonce":"${nonce}","summary":${summary}}`]),
  };
}
