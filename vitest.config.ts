import { defineConfig } from "vitest/config";

export default defineConfig({
  // The task pane's components are .tsx with React's automatic JSX runtime.
  oxc: { jsx: { runtime: "automatic" } },
  test: {
    // Component tests (.tsx) pick jsdom per file with a `// @vitest-environment jsdom` comment.
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // LibreOffice oracles start a process; give them room on a loaded two-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
