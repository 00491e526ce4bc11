import { defineConfig } from "vitest/config";

// Real browsers on the production build: one file at a time, each in its own process.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: "forks",
  },
});
