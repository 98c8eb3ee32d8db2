/** Reads an add-in manifest into a flat list of elements, for structural checks without the internet. */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface ManifestElement {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
  /** Tags from the root down to this element. */
  readonly path: readonly string[];
}

type Node = Record<string, unknown> & { ":@"?: Record<string, string> };

/** Throws with the parser's message when the XML is not well formed. */
export function readManifest(xml: string): ManifestElement[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`manifest is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", preserveOrder: true, parseTagValue: false, trimValues: true });
  const tree = parser.parse(xml) as Node[];
  const elements: ManifestElement[] = [];
  const walk = (nodes: Node[], path: string[]): void => {
    for (const node of nodes) {
      const tag = Object.keys(node).find((key) => key !== ":@");
      if (!tag || tag === "#text" || tag === "?xml" || tag === "#comment") continue;
      const children = node[tag] as Node[];
      const text = children
        .filter((child) => "#text" in child)
        .map((child) => String(child["#text"]))
        .join("");
      elements.push({ tag, attributes: node[":@"] ?? {}, text, path: [...path, tag] });
      walk(children, [...path, tag]);
    }
  };
  walk(tree, []);
  return elements;
}

/** Resource id → value (URL or string) from the manifest's Resources section. */
export function resources(elements: readonly ManifestElement[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const element of elements) {
    if (!element.path.includes("Resources") || element.attributes.id === undefined) continue;
    if (map.has(element.attributes.id)) throw new Error(`resource id ${element.attributes.id} is defined twice`);
    map.set(element.attributes.id, element.attributes.DefaultValue ?? "");
  }
  return map;
}

/** Every URL the manifest names: DefaultValue attributes that are URLs, and AppDomain entries. */
export function urls(elements: readonly ManifestElement[]): string[] {
  const found: string[] = [];
  for (const element of elements) {
    const value = element.attributes.DefaultValue;
    if (value !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) found.push(value);
    if (element.tag === "AppDomain") found.push(element.text);
  }
  return found;
}
