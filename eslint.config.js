import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config({ ignores: ["dist/", "node_modules/", "coverage/", "test-output/"] }, js.configs.recommended, ...tseslint.configs.recommended, {
  languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", performance: "readonly", globalThis: "readonly" } },
  rules: {
    "@typescript-eslint/no-non-null-assertion": "off",
    "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
  },
});
