/**
 * Downloads one Instagram media file: Bluesky cannot fetch a URL, it takes the bytes. The Blob is
 * handed to the upload as is, never copied.
 */
export type MediaDownload = (url: string) => Promise<Blob>;

/** A smaller JPEG of an image, of at most `maxBytes`; throws when it cannot make one. */
export type ShrinkImage = (image: Blob, maxBytes: number) => Promise<Blob>;

/** Bluesky's own app makes a post's images at most 2,000 pixels wide or high for its 1 MB. */
const MAX_SIDE = 2000;
const QUALITIES = [0.85, 0.7, 0.55] as const;
const SMALLER = 0.75;
const ROUNDS = 4;

/**
 * Re-encodes an image as JPEG until it fits: first at a few qualities, then smaller, a quarter at
 * a time. createImageBitmap and OffscreenCanvas exist in both browsers' extension workers.
 */
export const shrinkImage: ShrinkImage = async (image, maxBytes) => {
  const bitmap = await createImageBitmap(image);
  try {
    let scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    for (let round = 0; round < ROUNDS; round++, scale *= SMALLER) {
      const canvas = new OffscreenCanvas(
        Math.max(1, Math.round(bitmap.width * scale)),
        Math.max(1, Math.round(bitmap.height * scale)),
      );
      const context = canvas.getContext("2d");
      if (!context) throw new Error("no 2d canvas");
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      for (const quality of QUALITIES) {
        const smaller = await canvas.convertToBlob({ type: "image/jpeg", quality });
        if (smaller.size <= maxBytes) return smaller;
      }
    }
    throw new Error("still too large");
  } finally {
    bitmap.close();
  }
};
