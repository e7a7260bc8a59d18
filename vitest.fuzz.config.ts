import { defineConfig } from "vitest/config";

// The long fuzz run (`npm run fuzz -- --runs N`): only the fuzz suite, with time for N
// inputs per property. `npm test` runs the same suite with a bounded number of inputs.
export default defineConfig({
  test: {
    include: ["test/fuzz/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 6 * 60 * 60 * 1000,
    hookTimeout: 60_000,
  },
});
