/**
 * JSON for user files. JSON.parse keeps the last of two equal keys in an object without a word;
 * for assumptions that is a silent guess (a CSV with a key twice is refused), so files are
 * scanned for repeated keys first.
 */
import { checkInputSize } from "./csv.js";
import { InputError } from "./errors.js";

/** The first key that appears twice in one object of `text`, with its 1-based line; undefined when none does. */
export function repeatedJsonKey(text: string): { readonly key: string; readonly line: number } | undefined {
  // One Set per open object or array (arrays get undefined); `expectKey` is true right after "{" or "," in an object.
  const open: Array<Set<string> | undefined> = [];
  let expectKey = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\n") line++;
    else if (ch === "{") {
      open.push(new Set());
      expectKey = true;
    } else if (ch === "[") {
      open.push(undefined);
      expectKey = false;
    } else if (ch === "}" || ch === "]") {
      open.pop();
      expectKey = false;
    } else if (ch === ",") expectKey = open[open.length - 1] !== undefined;
    else if (ch === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (expectKey) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return undefined;
        }
        const keys = open[open.length - 1]!;
        if (keys.has(key)) return { key, line };
        keys.add(key);
        expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

/** Parses a user's JSON file: a clear InputError for invalid JSON or a key given twice in one object. */
export function parseUserJson(text: string, argument: string): unknown {
  checkInputSize(text.length, argument);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(argument, "(file)", "valid JSON", `${argument}: not valid JSON (${(error as Error).message})`);
  }
  const repeated = repeatedJsonKey(text);
  if (repeated) {
    throw new InputError(argument, repeated.key, "each key once", `${argument} line ${repeated.line}: key ${JSON.stringify(repeated.key)} is given twice`);
  }
  return parsed;
}
