// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { findActionBar, postPkOfPath } from "@/lib/instagram/post-page";
import { shortcodeFromPk } from "@/lib/instagram/shortcode";

const PK = "3141592653589793238";
const CODE = shortcodeFromPk(PK);

describe("the post a post page's URL names", () => {
  it("reads the pk from /p/, /reel/ and /<username>/p/ paths, with or without the last slash", () => {
    for (const path of [`/p/${CODE}/`, `/reel/${CODE}/`, `/acme.bakery/p/${CODE}/`, `/p/${CODE}`]) {
      expect(postPkOfPath(path), path).toBe(PK);
    }
  });

  it("names no post on any other page, nor for a code that is not a post's", () => {
    for (const path of [
      "/",
      "/acme.bakery/",
      "/explore/",
      `/stories/acme.bakery/${PK}/`,
      `/p/${CODE}/liked_by/`,
      "/p/a.b/",
      `/p/${"A".repeat(12)}/`,
      "/p//",
    ]) {
      expect(postPkOfPath(path), path).toBeUndefined();
    }
  });
});

describe("Instagram's action bar under a post, found by structure", () => {
  const iconButton = (label: string) =>
    `<div role="button" tabindex="0" class="x1i10hfl"><svg aria-label="${label}"></svg></div>`;

  it("is the main area's section of icon buttons, whatever their language", () => {
    document.body.innerHTML = `<main><article><header><svg aria-label="More options"></svg></header>
      <section class="_aamu">${["J’aime", "Commenter", "Partager", "Enregistrer"].map(iconButton).join("")}</section>
      <section><span>87 likes</span></section></article></main>`;
    expect(findActionBar(document)).toBe(document.querySelector("section._aamu"));
  });

  it("is none where no such section is drawn (yet)", () => {
    document.body.innerHTML = `<nav><section>${["Home", "Search", "Explore"].map(iconButton).join("")}</section></nav>
      <main><section>${iconButton("Like")}</section></main>`;
    expect(findActionBar(document)).toBeUndefined();
  });
});
