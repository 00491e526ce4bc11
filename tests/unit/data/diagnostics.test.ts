import { describe, expect, it } from "vitest";
import { redact } from "@/lib/data/diagnostics";
import { putAccount } from "@/lib/db/accounts";
import { logEvent } from "@/lib/db/events";
import { addJobsOnce } from "@/lib/db/jobs";
import type { JobRecord } from "@/lib/db/schema";
import { createDataHandlers } from "@/lib/handlers/data";
import { jobFor, photoPost } from "../../support/fixtures";

const TOKEN = "EAAGsecretpagetoken0123456789";
const ABOUT = { extensionVersion: "0.1.0", browser: "Mozilla/5.0 Firefox/153.0" };
const AT = Date.UTC(2026, 7, 1, 12);

function gatherDiagnostics() {
  return createDataHandlers({ now: () => AT, onDataReplaced: () => undefined }, () => ABOUT)[
    "data.diagnostics"
  ]({}, {});
}

function failedJob(message: string): JobRecord {
  const page = { id: "1001", name: "Acme Bakery", status: "ok" } as const;
  return {
    ...jobFor(photoPost("3100", ""), page, AT),
    state: "failed",
    attempts: 3,
    lastError: { kind: "permanent", message, at: AT + 1000 },
  };
}

describe("diagnostics", () => {
  it("lists composer recognition problems, recent errors and versions", async () => {
    await logEvent("composer-unrecognized", "Composer not recognized on 2026-08-01: no caption box", AT);
    await logEvent("linked", "Linked the Page Acme Bakery.", AT);
    await addJobsOnce([failedJob("Facebook refused the post: (#100) Invalid parameter.")]);

    const diagnostics = await gatherDiagnostics();
    expect(diagnostics.unrecognized.map((entry) => entry.message)).toEqual([
      "Composer not recognized on 2026-08-01: no caption box",
    ]);
    expect(diagnostics.errors.map((entry) => entry.message)).toEqual([
      "Acme Bakery: Facebook refused the post: (#100) Invalid parameter.",
    ]);
    expect(diagnostics.jobCounts.failed).toBe(1);
    expect(diagnostics.report).toContain("extension: 0.1.0");
    expect(diagnostics.report).toContain("browser: Mozilla/5.0 Firefox/153.0");
    expect(diagnostics.report).toContain("no caption box");
    expect(diagnostics.report).not.toContain("Linked the Page");
  });

  it("counts the shares in every state, zero where there are none", async () => {
    const page = { id: "1001", name: "Acme Bakery", status: "ok" } as const;
    await addJobsOnce([
      { ...jobFor(photoPost("1", ""), page, AT), state: "shared", attempts: 1 },
      { ...jobFor(photoPost("2", ""), page, AT), state: "shared", attempts: 1 },
      jobFor(photoPost("3", ""), page, AT),
      failedJob("Facebook refused the post: (#100) Invalid parameter."),
    ]);

    const diagnostics = await gatherDiagnostics();
    expect(diagnostics.jobCounts).toEqual({
      queued: 1,
      sending: 0,
      shared: 2,
      failed: 1,
      "needs-signin": 0,
      cancelled: 0,
    });
    expect(diagnostics.report).toContain(
      "shares: queued 1, sending 0, shared 2, failed 1, needs-signin 0, cancelled 0",
    );
  });

  it("never puts a token in the report, even one inside an error message", async () => {
    await putAccount({
      id: "1001",
      kind: "page",
      name: "Acme Bakery",
      token: TOKEN,
      status: "ok",
      linkedAt: AT,
    });
    await addJobsOnce([failedJob(`GET /me?access_token=${TOKEN} failed`)]);
    await logEvent("share-failed", `token ${TOKEN.slice(0, 20)}xyzxyz was rejected`, AT);

    const diagnostics = await gatherDiagnostics();
    const everything = JSON.stringify(diagnostics);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(TOKEN.slice(0, 20));
    expect(diagnostics.report).toContain("access_token=[removed] failed");
  });

  it("redacts tokens it does not hold when they look like Facebook tokens", () => {
    expect(redact("bad EAABwzLixnjYBOZCp9sV1 here", [])).toBe("bad [removed] here");
    expect(redact('"secret": "abc123def456ghi"', [])).toBe('"secret": "[removed]"');
    expect(redact("Composer not recognized: no Share button", [])).toBe(
      "Composer not recognized: no Share button",
    );
  });
});
