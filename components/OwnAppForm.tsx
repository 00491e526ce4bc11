import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { AppSetupView } from "@/lib/messages/views";

export interface OwnAppFormProps {
  /** `threads`, `tumblr`: the inputs' names start with it (`tumblr-app-id`). */
  service: string;
  title: string;
  /** What to do in the service's app, with the redirect URL to paste there. */
  help: (redirectUrl: string) => string;
  labels: { id: string; secret: string; save: string; connect: string; saved: string };
  /** The app as stored (its id, whether a secret is): the secret itself never comes back. */
  load: () => Promise<AppSetupView>;
  /** Stores the id, and the secret when one is typed (else the stored one is kept). */
  save: (id: string, secret?: string) => Promise<AppSetupView>;
  /** Called in the click itself: the browser asks for host access only then. */
  onConnect: () => void;
  busy: boolean;
  run: (action: () => Promise<void>) => Promise<void>;
  fail: (error: unknown) => void;
  onSaved: (text: string) => void;
  /** Inputs of the service's own, shown before the buttons. */
  children?: ComponentChildren;
}

/**
 * A service linked through the user's own app (Threads, Tumblr): the app's id and secret are
 * saved first, then Connect opens the service's sign-in window.
 */
export function OwnAppForm(props: OwnAppFormProps) {
  const { service, labels, busy } = props;
  const [setup, setSetup] = useState<AppSetupView>();
  const [id, setId] = useState("");
  const [secret, setSecret] = useState("");

  useEffect(() => {
    props.load().then((stored) => {
      setSetup(stored);
      setId(stored.appId ?? "");
    }, props.fail);
  }, [props.load]);

  const save = (event: Event) => {
    event.preventDefault();
    void props.run(async () => {
      setSetup(await props.save(id.trim(), secret.trim() || undefined));
      setSecret("");
      props.onSaved(labels.saved);
    });
  };

  return (
    <form onSubmit={save} aria-labelledby={`${service}-heading`}>
      <h4 id={`${service}-heading`}>{props.title}</h4>
      <p class="muted">{props.help(setup?.redirectUrl ?? "")}</p>
      <label>
        {labels.id}
        <input
          name={`${service}-app-id`}
          value={id}
          required
          autocomplete="off"
          onInput={(event) => setId(event.currentTarget.value)}
        />
      </label>
      <label>
        {labels.secret}
        <input
          type="password"
          name={`${service}-app-secret`}
          value={secret}
          autocomplete="off"
          placeholder={setup?.hasSecret ? "••••••••" : ""}
          onInput={(event) => setSecret(event.currentTarget.value)}
        />
      </label>
      {props.children}
      <div class="inline">
        <button type="submit" disabled={busy}>
          {labels.save}
        </button>
        <button type="button" class="primary" disabled={busy || !setup?.hasSecret} onClick={props.onConnect}>
          {labels.connect}
        </button>
      </div>
    </form>
  );
}
