// The part of jsdom's API that test/helpers/office-js.ts uses (jsdom ships no types, and the
// DefinitelyTyped package follows newer jsdom majors).
declare module "jsdom" {
  export interface DOMWindow {
    eval(source: string): unknown;
    close(): void;
  }
  export class JSDOM {
    constructor(html: string, options?: { runScripts?: "dangerously" | "outside-only"; url?: string; pretendToBeVisual?: boolean });
    readonly window: DOMWindow;
  }
}
