import { describe, expect, it } from "vitest";
import { slugFor, slugMarks, tagsOf, textBlocks } from "@/lib/tumblr/npf";

describe("a caption as Tumblr's NPF", () => {
  it("is one text block per line, a blank line an empty block, links marked in code points", () => {
    const blocks = textBlocks("Fresh 🍞 today at https://acme.example/menu.\n\nSee you #bread");
    expect(blocks).toEqual([
      {
        type: "text",
        text: "Fresh 🍞 today at https://acme.example/menu.",
        // "🍞" is two UTF-16 units but one code point: the link starts at 17, not 18.
        formatting: [{ start: 17, end: 42, type: "link", url: "https://acme.example/menu" }],
      },
      { type: "text", text: "" },
      { type: "text", text: "See you #bread" },
    ]);
    expect([..."Fresh 🍞 today at "].length).toBe(17);
  });

  it("has no text block for an empty caption", () => {
    expect(textBlocks("  \n ")).toEqual([]);
  });

  it("turns the caption's hashtags into the post's tags, each once, at most 30", () => {
    expect(tagsOf("Crust #Sourdough and #bread #sourdough #1")).toEqual(["Sourdough", "bread"]);
    const many = Array.from({ length: 40 }, (_, i) => `#tag${i}`).join(" ");
    expect(tagsOf(many)).toHaveLength(30);
  });
});

describe("the slug that marks a job's post", () => {
  it("is the caption's first words and a mark of the job, within Tumblr's 55 characters", async () => {
    const slug = await slugFor(
      "3141592653:tumblr:t:abc",
      "Our sourdough takes two days: flour, water, salt and time #bread",
    );
    expect(slug).toMatch(/^our-sourdough-takes-two-days-flour-water-[0-9a-f]{10}$/);
    expect(slug.length).toBeLessThanOrEqual(55);
    expect(await slugMarks(slug, "3141592653:tumblr:t:abc")).toBe(true);
  });

  it("is the same for every attempt at a job and differs between jobs of the same caption", async () => {
    const caption = "The same loaves";
    expect(await slugFor("1:tumblr:t:a", caption)).toBe(await slugFor("1:tumblr:t:a", caption));
    const other = await slugFor("2:tumblr:t:a", caption);
    expect(await slugMarks(other, "1:tumblr:t:a")).toBe(false);
  });

  it("is only the mark for a caption with no Latin words", async () => {
    const slug = await slugFor("1:tumblr:t:a", "今日のパン #パン");
    expect(slug).toMatch(/^[0-9a-f]{10}$/);
    expect(await slugMarks(slug, "1:tumblr:t:a")).toBe(true);
    expect(await slugMarks(undefined, "1:tumblr:t:a")).toBe(false);
  });
});
