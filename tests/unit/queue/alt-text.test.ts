import { describe, expect, it } from "vitest";
import { addJobsOnce, getJob } from "@/lib/db/jobs";
import type { MediaItem, PublishedPost } from "@/lib/instagram/post";
import { jobFor, linkPage, PAGE_TOKEN, photoPost } from "../../support/fixtures";
import { graphOverHttp } from "../../support/graph-over-http";
import { quietQueue } from "../security/background";

const photo = (name: string, alt?: string): MediaItem => ({
  type: "image",
  url: `https://scontent.cdninstagram.com/v/t51.2885-15/${name}.jpg`,
  ...(alt !== undefined && { alt }),
});

function post(pk: string, kind: PublishedPost["kind"], media: MediaItem[]): PublishedPost {
  return { ...photoPost(pk, "Fresh from the oven"), kind, media };
}

async function share(...posts: PublishedPost[]) {
  const page = await linkPage();
  const clock = { now: 1_000_000 };
  const { graph, client } = await graphOverHttp(clock);
  graph.addPage({ id: "1001", name: "Acme Bakery", token: PAGE_TOKEN });
  await addJobsOnce(posts.map((item) => jobFor(item, page, clock.now)));
  await quietQueue(client, { now: () => clock.now }).queue.kick();
  for (const item of posts) expect((await getJob(`${item.pk}:1001`))?.state).toBe("shared");
  return graph;
}

describe("the alt text written on Instagram reaches Facebook", () => {
  it("a photo and each photo of a carousel carry their own alt text to the Page", async () => {
    const single = post("5100000000000000001", "photo", [photo("loaf", "A round sourdough loaf on a board")]);
    const carousel = post("5100000000000000002", "carousel", [
      photo("rye", "Rye bread, sliced"),
      photo("bun", "Three cinnamon buns"),
    ]);

    const facebook = await share(single, carousel);

    const altOf = (name: string) =>
      facebook.photos.find((item) => item.url?.includes(`/${name}.jpg`))?.altText;
    expect(altOf("loaf")).toBe("A round sourdough loaf on a board");
    expect(altOf("rye")).toBe("Rye bread, sliced");
    expect(altOf("bun")).toBe("Three cinnamon buns");
  });

  it("no alt text field is sent where Instagram gave none, so Facebook writes its own", async () => {
    const carousel = post("5100000000000000003", "carousel", [
      photo("rye", "Rye bread, sliced"),
      photo("bun"),
    ]);

    const facebook = await share(carousel);

    const uploads = facebook.requests.filter((request) => request.path.endsWith("/photos"));
    expect(uploads.map((request) => request.params.alt_text_custom)).toEqual([
      "Rye bread, sliced",
      undefined,
    ]);
    expect(facebook.photos.find((item) => item.url?.includes("/bun.jpg"))).not.toHaveProperty("altText");
  });
});
