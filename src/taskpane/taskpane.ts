/**
 * The task pane's entry. The page also hosts the custom functions and the ribbon commands (the
 * shared runtime), so this script must load anywhere without throwing: with no DOM (a test
 * loads it in a bare script context), it does nothing.
 */
import { mount } from "./main.js";

if (typeof document !== "undefined") {
  const container = document.getElementById("root");
  if (container) mount(container);
}
