/**
 * The add-in manifest, checked offline (`npm run validate` needs the internet): well-formed
 * XML, every resid resolves, one shared runtime whose page also hosts the custom functions,
 * namespace MINEPIVOT, HTTPS everywhere, unique ids, icons that exist at their sizes.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readManifest, resources, urls, type ManifestElement } from "./helpers/manifest.js";

const root = new URL("../", import.meta.url);
const xml = readFileSync(new URL("manifest.xml", root), "utf8");
const elements = readManifest(xml);
const byTag = (tag: string) => elements.filter((element) => element.tag === tag);
const one = (tag: string, where?: (element: ManifestElement) => boolean): ManifestElement => {
  const found = byTag(tag).filter(where ?? (() => true));
  expect(found, tag).toHaveLength(1);
  return found[0]!;
};
const ids = resources(elements);
const resolve = (resid: string | undefined): string => {
  expect(resid === undefined ? undefined : ids.has(resid), `resid ${resid}`).toBe(true);
  return ids.get(resid!)!;
};

describe("manifest.xml", () => {
  it("is a well-formed task pane add-in for Excel workbooks with read/write document access", () => {
    expect(() => readManifest("<OfficeApp><Id></OfficeApp>")).toThrow(/not well-formed/);
    const app = elements[0]!;
    expect(app.tag).toBe("OfficeApp");
    expect(app.attributes["xsi:type"]).toBe("TaskPaneApp");
    expect(one("Permissions").text).toBe("ReadWriteDocument");
    expect(byTag("Host").map((host) => host.attributes.Name ?? host.attributes["xsi:type"])).toEqual(["Workbook", "Workbook"]);
    expect(one("Id").text).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("requires the shared runtime and the custom-functions runtime", () => {
    const sets = byTag("Set").map((set) => set.attributes.Name);
    expect(sets).toContain("SharedRuntime");
    expect(sets).toContain("CustomFunctionsRuntime");
  });

  it("every resid resolves to a resource, and resource ids are unique", () => {
    const resids = elements.filter((element) => element.attributes.resid !== undefined);
    expect(resids.length).toBeGreaterThan(10);
    for (const element of resids) resolve(element.attributes.resid);
  });

  it("ids are unique across the manifest (resources, groups, controls)", () => {
    const all = elements.map((element) => element.attributes.id).filter((id): id is string => id !== undefined);
    expect(new Set(all).size).toBe(all.length);
  });

  it("the runtime and the custom functions' page share one URL (a shared runtime), as do the ribbon's task pane and function file", () => {
    const runtime = one("Runtime");
    expect(runtime.attributes.lifetime).toBe("long");
    const runtimeUrl = resolve(runtime.attributes.resid);
    const page = one("SourceLocation", (element) => element.path.includes("Page"));
    expect(resolve(page.attributes.resid)).toBe(runtimeUrl);
    expect(resolve(one("FunctionFile").attributes.resid)).toBe(runtimeUrl);
    const action = one("SourceLocation", (element) => element.path.includes("Action"));
    expect(resolve(action.attributes.resid)).toBe(runtimeUrl);
    expect(runtimeUrl).toMatch(/\/taskpane\.html$/);
    expect(one("SourceLocation", (element) => element.path.includes("DefaultSettings")).attributes.DefaultValue).toBe(runtimeUrl);
  });

  it("declares the CustomFunctions extension point: script, page, metadata and namespace MINEPIVOT", () => {
    const point = one("ExtensionPoint", (element) => element.attributes["xsi:type"] === "CustomFunctions");
    expect(point.path).toContain("AllFormFactors");
    expect(resolve(one("SourceLocation", (element) => element.path.includes("Script")).attributes.resid)).toMatch(/\/functions\.js$/);
    expect(resolve(one("SourceLocation", (element) => element.path.includes("Metadata")).attributes.resid)).toMatch(/\/functions\.json$/);
    expect(resolve(one("Namespace").attributes.resid)).toBe("MINEPIVOT");
  });

  it("has a ribbon button that opens the task pane", () => {
    const button = one("Control");
    expect(button.attributes["xsi:type"]).toBe("Button");
    expect(one("Action").attributes["xsi:type"]).toBe("ShowTaskpane");
    expect(one("OfficeTab").attributes.id).toBe("TabHome");
  });

  it("has no TaskpaneId on the button's action, as a shared runtime with a long lifetime requires", () => {
    expect(one("Runtime").attributes.lifetime).toBe("long");
    expect(byTag("TaskpaneId")).toEqual([]);
  });

  it("every URL is HTTPS, and the development manifest points at https://localhost:3000", () => {
    const all = urls(elements);
    expect(all.length).toBeGreaterThan(8);
    for (const url of all) expect(url).toMatch(/^https:\/\/localhost:3000(\/|$)/);
    expect(one("SupportUrl").attributes.DefaultValue).toMatch(/^https:\/\//);
  });

  it("its icons exist, as PNGs of the sizes the manifest declares", () => {
    const images = [
      ...byTag("bt:Image").filter((image) => image.attributes.DefaultValue),
      { attributes: { DefaultValue: one("IconUrl").attributes.DefaultValue!, size: "32" } },
      { attributes: { DefaultValue: one("HighResolutionIconUrl").attributes.DefaultValue!, size: "64" } },
    ];
    for (const image of images) {
      const path = new URL(image.attributes.DefaultValue!).pathname.slice(1);
      const file = new URL(path, root);
      expect(existsSync(file), path).toBe(true);
      const png = readFileSync(file);
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      const size = Number(image.attributes.size ?? /icon-(\d+)/.exec(path)![1]);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], path).toEqual([size, size]);
    }
  });
});
