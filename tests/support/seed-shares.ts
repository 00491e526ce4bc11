import type { Driver } from "./driver";

export type SeedOptions = {
  page: { id: string; name: string };
  count: number;
  /** When the share with index 0 was created; share i was created `stepMs` × i later. */
  base: number;
  stepMs?: number;
  states?: ("shared" | "failed" | "cancelled")[];
  kinds?: ("photo" | "carousel" | "reel")[];
};

/**
 * Puts `count` finished shares of the real record shape straight into the extension's database,
 * from one of its pages, in one transaction; answers how many. States and kinds go round in turn,
 * and the last share is the newest.
 */
export function seedShares(extensionPage: Driver, options: SeedOptions): Promise<number> {
  const { page, count, base, stepMs = 1 } = options;
  const states = JSON.stringify(options.states ?? ["shared", "shared", "shared", "failed", "cancelled"]);
  const kinds = JSON.stringify(options.kinds ?? ["photo"]);
  return extensionPage.evaluate<number>(
    `new Promise((resolve, reject) => {
      const open = indexedDB.open("alsoshare");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction("jobs", "readwrite");
        const store = tx.objectStore("jobs");
        const states = ${states};
        const kinds = ${kinds};
        for (let i = 0; i < ${count}; i++) {
          const pk = String(3000000000000000000n + BigInt(i));
          const code = "Seed" + String(i).padStart(6, "0");
          const state = states[i % states.length];
          const at = ${base} + i * ${stepMs};
          store.put({
            id: pk + ":${page.id}",
            post: {
              pk, code, kind: kinds[i % kinds.length], caption: "Seeded share " + i,
              media: [{ type: "image", url: "https://scontent.cdninstagram.com/v/t51.2885-15/" + code + ".jpg", width: 1080, height: 1080 }],
            },
            permalink: "https://www.instagram.com/p/" + code + "/",
            message: "Seeded share " + i,
            targetId: "${page.id}",
            targetName: "${page.name}",
            state,
            attempts: 1,
            nextAttemptAt: at,
            createdAt: at,
            updatedAt: at,
            ...(state === "shared" && { result: { postId: "${page.id}_" + i, url: "https://www.facebook.com/${page.id}_" + i } }),
            ...(state === "failed" && { lastError: { kind: "permanent", message: "Facebook refused the post.", at } }),
          });
        }
        tx.oncomplete = () => { db.close(); resolve(${count}); };
        tx.onerror = () => reject(tx.error);
      };
    })`,
  );
}
