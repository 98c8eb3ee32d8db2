import { defineConfig } from "vitest/config";

export default defineConfig({
  // The task pane's components are .tsx with React's automatic JSX runtime.
  oxc: { jsx: { runtime: "automatic" } },
  test: {
    // Component tests (.tsx) pick jsdom per file with a `// @vitest-environment jsdom` comment.
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // LibreOffice oracles start a process; give them room on a loaded two-core machine.
    testTimeout: 120_000,
    // Hooks build bundles with webpack or recalculate workbooks in LibreOffice: minutes when the
    // machine is shared, so they get more room than a test.
    hookTimeout: 600_000,
  },
});
