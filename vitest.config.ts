import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The CLI tests run the built binary: build it once before the suite.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
  },
});
