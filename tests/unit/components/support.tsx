import { readFileSync } from "node:fs";
import { render } from "@testing-library/preact";
import type { ComponentChild } from "preact";
import { vi } from "vitest";
import { TranslateContext } from "@/components/i18n";
import type { Api } from "@/components/useApi";
import type { RequestPayload, RequestType } from "@/lib/messages/protocol";
import type { Subscribe, WatchEvent } from "@/lib/messages/pushes";
import type { AccountView, JobView, PastPostView, Responses } from "@/lib/messages/views";
import { DEFAULT_SETTINGS } from "@/lib/settings/schema";

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

const english = JSON.parse(readFileSync("public/_locales/en/messages.json", "utf8")) as Messages;

/** Our English strings, substituted the way browser.i18n does, so tests read what users read. */
export function translate(key: string, substitutions: string[] = []): string {
  const entry = english[key];
  if (!entry) return key;
  return entry.message.replace(/\$(\w+)\$/g, (_, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? "";
    return content.replace(/\$(\d)/g, (__, index: string) => substitutions[Number(index) - 1] ?? "");
  });
}

export function renderInEnglish(ui: ComponentChild) {
  return render(<TranslateContext.Provider value={translate}>{ui}</TranslateContext.Provider>);
}

type Handlers = { [T in RequestType]?: (payload: RequestPayload<T>) => Responses[T] | Promise<Responses[T]> };

/** A fake background: answers the given message types, records every call, refuses the rest. */
export function fakeApi(handlers: Handlers) {
  const calls: { type: RequestType; payload: unknown }[] = [];
  const api = vi.fn(async (type: RequestType, payload: unknown) => {
    calls.push({ type, payload });
    const handler = handlers[type] as ((payload: unknown) => unknown) | undefined;
    if (!handler) throw new Error(`unexpected ${type}`);
    return handler(payload);
  }) as unknown as Api;
  return { api, calls };
}

/** A fake watch port: the test pushes as the background would, and sees who is still listening. */
export function fakeSubscription() {
  const listeners = new Set<(event: WatchEvent) => void>();
  const subscribe: Subscribe = (onPush) => {
    listeners.add(onPush);
    return () => listeners.delete(onPush);
  };
  const push = (message: WatchEvent) => {
    for (const listener of listeners) listener(message);
  };
  return { subscribe, push, listening: () => listeners.size };
}

export const NOW = Date.UTC(2026, 7, 1, 12);

export const account = (overrides: Partial<AccountView> = {}): AccountView => ({
  id: "1001",
  kind: "page",
  name: "Acme Bakery",
  status: "ok",
  ...overrides,
});

export function job(index: number, overrides: Partial<JobView> = {}): JobView {
  return {
    id: `${3000 + index}:1001`,
    state: "shared",
    kind: "photo",
    targetId: "1001",
    targetName: "Acme Bakery",
    service: "Facebook",
    permalink: `https://www.instagram.com/p/Code${index}/`,
    thumbnailUrl: `https://scontent.cdninstagram.com/v/t51/${index}.jpg`,
    message: `Post ${index}`,
    createdAt: NOW - index * 60_000,
    updatedAt: NOW - index * 60_000,
    ...overrides,
  };
}

export const settings = (overrides: Partial<typeof DEFAULT_SETTINGS> = {}) => ({
  ...DEFAULT_SETTINGS,
  ...overrides,
});

/** A post as Instagram's API lists it, with the shares made of it so far. */
export const pastPost = (index: number, overrides: Partial<PastPostView> = {}): PastPostView => ({
  igMediaId: `1789569566800455${index}`,
  pk: `${3000 + index}`,
  kind: "photo",
  caption: `Rye day ${index} #bakery`,
  permalink: `https://www.instagram.com/p/Code${index}/`,
  postedAt: Date.UTC(2026, 6, 1),
  thumbnailUrl: `https://scontent.cdninstagram.com/v/t51.29350-15/${index}_n.jpg`,
  jobs: [],
  ...overrides,
});
