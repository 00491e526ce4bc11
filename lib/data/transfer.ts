import * as z from "zod/mini";
import type { AccountHome, AccountRecord } from "../db/schema";
import { type Settings, settingsSchema } from "../settings/schema";

/** What an export file holds: settings and accounts. Shares and the activity log stay behind. */
export const EXPORT_FORMAT = "alsoshare-export";
export const EXPORT_VERSION = 1;
/** Bigger than any real export by far; refusing early keeps a stray file from freezing the worker. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

const instagramLinkSchema = z.union([
  z.strictObject({
    state: z.literal("linked"),
    id: z.string().check(z.regex(/^\d{1,30}$/)),
    username: z.string().check(z.regex(/^[\w.]{1,30}$/)),
    pictureUrl: z.optional(z.url({ protocol: /^https$/ }).check(z.maxLength(4096))),
  }),
  z.strictObject({ state: z.literal("none") }),
  z.strictObject({ state: z.literal("no-permission") }),
]);

const tokenText = z.string().check(z.minLength(10), z.maxLength(2048), z.regex(/^[\w.|-]+$/));

const homeSchema = z.strictObject({
  origin: z.url({ protocol: /^https$/ }).check(z.maxLength(300)),
  userId: z.string().check(z.minLength(1), z.maxLength(200)),
  handle: z.string().check(z.minLength(1), z.maxLength(300)),
  refreshToken: z.optional(tokenText),
  textLimit: z.optional(z.number().check(z.int(), z.positive())),
});

const accountSchema = z.strictObject({
  id: z.string().check(z.regex(/^[\w.:-]{1,100}$/)),
  kind: z.enum(["page", "profile", "bluesky", "mastodon", "threads", "tumblr"]),
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  pictureUrl: z.optional(z.url({ protocol: /^https$/ }).check(z.maxLength(4096))),
  token: z.optional(tokenText),
  tokenExpiresAt: z.optional(z.number().check(z.int(), z.minimum(0))),
  status: z.enum(["ok", "needs-signin"]),
  linkedAt: z.number().check(z.int(), z.minimum(0)),
  instagram: z.optional(instagramLinkSchema),
  home: z.optional(homeSchema),
});

export type ExportedAccount = z.infer<typeof accountSchema>;

export const exportFileSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.string().check(z.maxLength(40)),
  settings: settingsSchema,
  accounts: z.array(accountSchema).check(z.maxLength(500)),
});

export type ExportFile = z.infer<typeof exportFileSchema>;

/** Why a file was refused, in a sentence a user can act on. */
export class ImportError extends Error {
  override readonly name = "ImportError";
}

/**
 * The export of what is stored. Fields are picked one by one, so a field added to the account
 * record later (another secret, say) stays out until someone decides it belongs here.
 */
export function buildExport(
  settings: Settings,
  accounts: AccountRecord[],
  options: { includeTokens: boolean; now: number },
): ExportFile {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(options.now).toISOString(),
    // Consent is this browser's user's answer, not a preference to carry to another browser.
    settings: { ...settings, consent: undefined },
    accounts: accounts.map((account) => ({
      id: account.id,
      kind: account.kind,
      name: account.name,
      ...(account.pictureUrl !== undefined && { pictureUrl: account.pictureUrl }),
      ...(options.includeTokens && account.token !== undefined && { token: account.token }),
      ...(account.tokenExpiresAt !== undefined && { tokenExpiresAt: account.tokenExpiresAt }),
      status: account.status,
      linkedAt: account.linkedAt,
      ...(account.instagram !== undefined && { instagram: account.instagram }),
      ...(account.home && { home: exportedHome(account.home, options.includeTokens) }),
    })),
  };
}

/** Where an account of another service lives; what renews its sign-in only with the tokens. */
function exportedHome(home: AccountHome, includeTokens: boolean): AccountHome {
  return {
    origin: home.origin,
    userId: home.userId,
    handle: home.handle,
    ...(includeTokens && home.refreshToken !== undefined && { refreshToken: home.refreshToken }),
    ...(home.textLimit !== undefined && { textLimit: home.textLimit }),
  };
}

export function exportFileName(now: number): string {
  return `alsoshare-${new Date(now).toISOString().slice(0, 10)}.json`;
}

// Keys that reach Object.prototype when a parsed object is later spread or merged.
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function findForbiddenKey(value: unknown, path: (string | number)[]): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findForbiddenKey(item, [...path, index]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return fieldName([...path, key]);
      const found = findForbiddenKey((value as Record<string, unknown>)[key], [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

function fieldName(path: PropertyKey[]): string {
  return path.length === 0
    ? "the file"
    : path
        .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index ? "." : ""}${String(part)}`))
        .join("");
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      return `must be ${issue.expected === "int" ? "a whole number" : `a ${issue.expected}`}`;
    case "invalid_value": {
      const values = issue.values.map((value) => JSON.stringify(value));
      return values.length > 2
        ? `must be one of ${values.slice(0, -1).join(", ")} or ${values.at(-1)}`
        : `must be ${values.join(" or ")}`;
    }
    case "unrecognized_keys":
      return `has fields this version does not know: ${issue.keys.join(", ")}`;
    case "too_big":
      return issue.origin === "string"
        ? `is longer than ${issue.maximum} characters`
        : issue.origin === "array"
          ? `has more than ${issue.maximum} entries`
          : `is above ${issue.maximum}`;
    case "too_small":
      return issue.origin === "string"
        ? `is shorter than ${issue.minimum} characters`
        : issue.origin === "array"
          ? `has fewer than ${issue.minimum} entries`
          : `is below ${issue.minimum}`;
    case "invalid_format":
      return "is not in the expected format";
    default:
      return "is not valid";
  }
}

const AFTER = "Nothing was changed.";

/**
 * Reads an export file, fully, before anything is written: size, JSON, dangerous keys, format and
 * version, then every field. Throws an ImportError naming the first wrong field and why.
 */
export function parseExportFile(text: string): ExportFile {
  if (new TextEncoder().encode(text).byteLength > IMPORT_MAX_BYTES) {
    throw new ImportError(`This file is larger than 5 MB, so it is not an alsoshare export. ${AFTER}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ImportError(`This file is not valid JSON, so it is not an alsoshare export. ${AFTER}`);
  }
  const forbidden = findForbiddenKey(raw, []);
  if (forbidden) {
    throw new ImportError(`The file was refused: the field ${forbidden} is not allowed. ${AFTER}`);
  }
  const head = z.object({ format: z.unknown(), version: z.unknown() }).safeParse(raw);
  if (!head.success || head.data.format !== EXPORT_FORMAT) {
    throw new ImportError(`This file is not an alsoshare export. ${AFTER}`);
  }
  if (head.data.version !== EXPORT_VERSION) {
    throw new ImportError(
      `This export comes from a version of alsoshare this one does not know (file version ${JSON.stringify(head.data.version)}); update alsoshare and try again. ${AFTER}`,
    );
  }
  const parsed = exportFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as Issue;
    throw new ImportError(`The field ${fieldName(issue.path)} ${describeIssue(issue)}. ${AFTER}`);
  }
  const ids = parsed.data.accounts.map((account) => account.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new ImportError(`The account ${duplicate} appears twice in the file. ${AFTER}`);
  return parsed.data;
}

/**
 * The account records an import writes. An account the file has no token for keeps the token this
 * browser already holds; a Page with no token anywhere waits for the user to sign in again.
 */
export function mergeImportedAccounts(file: ExportFile, existing: AccountRecord[]): AccountRecord[] {
  const current = new Map(existing.map((account) => [account.id, account]));
  return file.accounts.map((imported) => {
    const local = current.get(imported.id);
    // The token, its expiry and its health travel together: from the file, or else from this browser.
    const source = imported.token !== undefined || !local?.token ? imported : local;
    const usable = imported.kind === "profile" || source.token !== undefined;
    return {
      id: imported.id,
      kind: imported.kind,
      name: imported.name,
      ...(imported.pictureUrl !== undefined && { pictureUrl: imported.pictureUrl }),
      ...(source.token !== undefined && { token: source.token }),
      ...(source.tokenExpiresAt !== undefined && { tokenExpiresAt: source.tokenExpiresAt }),
      status: usable ? source.status : "needs-signin",
      linkedAt: imported.linkedAt,
      // What the token could see of Instagram travels with the token.
      ...(source.instagram !== undefined && { instagram: source.instagram }),
      ...(imported.home && {
        home: { ...imported.home, refreshToken: source.home?.refreshToken },
      }),
    };
  });
}
