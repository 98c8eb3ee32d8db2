/**
 * Chart caches: the values a chart shows before anything recalculates. The xlsx library writes
 * each series' ranges with an empty cache; this fills the cache from the plan's evaluation, as
 * text (site names) or numbers, so that previewers draw the chart.
 */
import { CellError, type Evaluation } from "./evaluate.js";
import { escapeXml } from "./sheetxml.js";

const REF = /^(?:'((?:[^']|'')+)'|([A-Za-z_][A-Za-z0-9_.]*))!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$/;

function columnIndex(letters: string): number {
  let col = 0;
  for (const ch of letters) col = col * 26 + ch.charCodeAt(0) - 64;
  return col - 1;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The values of a chart range, row by row. */
function rangeValues(ref: string, evaluation: Evaluation): Array<number | string | null> {
  const match = REF.exec(ref);
  if (!match) return [];
  const sheet = match[1] !== undefined ? match[1].replace(/''/g, "'") : match[2]!;
  const [c1, r1] = [columnIndex(match[3]!), Number(match[4]) - 1];
  const [c2, r2] = match[5] ? [columnIndex(match[5]), Number(match[6]) - 1] : [c1, r1];
  const values: Array<number | string | null> = [];
  for (let r = r1; r <= r2; r++) {
    for (let c = c1; c <= c2; c++) {
      const v = evaluation.value(sheet, r, c);
      values.push(typeof v === "number" || typeof v === "string" ? v : v === null || v instanceof CellError ? null : v ? 1 : 0);
    }
  }
  return values;
}

function cache(tag: "numCache" | "strCache", values: ReadonlyArray<number | string | null>): string {
  const points = values.map((v, i) => (v === null ? "" : `<c:pt idx="${i}"><c:v>${escapeXml(String(v))}</c:v></c:pt>`)).join("");
  const format = tag === "numCache" ? "<c:formatCode>General</c:formatCode>" : "";
  return `<c:${tag}>${format}<c:ptCount val="${values.length}"/>${points}</c:${tag}>`;
}

/**
 * Horizontal bar charts are tornados: the low and high bars of an assumption overlap on one
 * line around zero (the base value), and the first assumption (the largest swing) is on top.
 */
function tornadoLook(xml: string): string {
  if (!xml.includes('<c:barDir val="bar"/>')) return xml;
  return xml
    .replace(/(<c:barChart>[\s\S]*?)(<c:axId )/, '$1<c:gapWidth val="40"/><c:overlap val="100"/>$2')
    .replace(/(<c:catAx>[\s\S]*?<c:orientation val=")minMax(")/, "$1maxMin$2");
}

/**
 * The chart's XML with every series range's cache filled (text ranges become strRef), and the
 * category labels at the bottom of the plot, clear of bars that go below zero.
 */
export function chartCaches(xml: string, evaluation: Evaluation): string {
  const labelsLow = tornadoLook(xml.replace(/(<c:catAx>[\s\S]*?<c:tickLblPos val=")nextTo(")/, "$1low$2"));
  return labelsLow.replace(/<c:numRef><c:f>([^<]*)<\/c:f>(?:<c:numCache>[\s\S]*?<\/c:numCache>|<c:numCache\/>)?<\/c:numRef>/g, (_whole, ref: string) => {
    const values = rangeValues(unescapeXml(ref), evaluation);
    if (values.some((v) => typeof v === "string")) return `<c:strRef><c:f>${ref}</c:f>${cache("strCache", values)}</c:strRef>`;
    return `<c:numRef><c:f>${ref}</c:f>${cache("numCache", values)}</c:numRef>`;
  });
}
