import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // LibreOffice oracles start a process; give them room on a loaded two-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
