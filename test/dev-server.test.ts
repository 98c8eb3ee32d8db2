/**
 * The sideload route as a user starts it: `npm run dev-server` (webpack serve) on loopback, with
 * the localhost certificate of office-addin-dev-certs. The certificate is made in a temporary
 * home folder and never installed: the client trusts its CA for these requests only, so a
 * response proves the server presents that certificate. Every URL the served manifest names
 * must answer, and the .xlsx writer's .wasm must come as application/wasm.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionsMetadata } from "../src/docs/functions-reference.js";
import { readManifest, resources, urls } from "./helpers/manifest.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const golden = JSON.parse(await readFile(join(root, "test", "golden", "functions.json"), "utf8")) as FunctionsMetadata;
/** A first development build on a loaded two-core machine takes a minute or two. */
const START_TIMEOUT_MS = 300_000;

interface Response {
  status: number;
  type: string;
  body: Buffer;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

let home: string;
let server: ChildProcess | undefined;
let origin: string;
let ca: Buffer;
let log = "";

/** GET over https, trusting only the CA that office-addin-dev-certs made. */
function get(path: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, origin), { ca, method: "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (server?.exitCode !== null) throw new Error(`the dev server exited (${String(server?.exitCode)}):\n${log}`);
    try {
      if ((await get("/manifest.xml")).status === 200) return;
    } catch (error) {
      // Certificate errors mean the wrong certificate, not a server still starting.
      if (/certificate|self.signed/i.test(String(error))) throw error;
    }
    if (Date.now() > deadline) throw new Error(`the dev server did not answer within ${START_TIMEOUT_MS / 1000} s:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "minepivot-home-"));
  const certificates = join(home, ".office-addin-dev-certs");
  const { generateCertificates } = (await import("office-addin-dev-certs/lib/generate.js")) as {
    generateCertificates(ca: string, cert: string, key: string, days: number, domains: string[]): Promise<void>;
  };
  await generateCertificates(join(certificates, "ca.crt"), join(certificates, "localhost.crt"), join(certificates, "localhost.key"), 2, ["localhost"]);
  ca = await readFile(join(certificates, "ca.crt"));

  const port = await freePort();
  origin = `https://localhost:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, USERPROFILE: home, npm_package_config_dev_server_port: String(port) };
  delete env.MINEPIVOT_URL;
  delete env.OFFICE_JS;
  server = spawn(process.execPath, [join(root, "node_modules", "webpack-cli", "bin", "cli.js"), "serve", "--mode", "development"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  await waitForServer();
}, START_TIMEOUT_MS + 10_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  if (home) await rm(home, { recursive: true, force: true });
});

describe("npm run dev-server", () => {
  it("serves the manifest with every URL on its own https origin, and each of them answers", async () => {
    const manifest = await get("/manifest.xml");
    const elements = readManifest(manifest.body.toString("utf8"));
    const all = urls(elements);
    expect(all.length).toBeGreaterThan(8);
    for (const url of all) {
      expect(url.startsWith(origin), url).toBe(true);
      // The AppDomain is an origin, not a page.
      if (url === origin) continue;
      const { status } = await get(url);
      expect(status, url).toBe(200);
    }
    const ids = resources(elements);
    expect(ids.get("Functions.Script.Url")).toBe(`${origin}/functions.js`);
    expect(ids.get("Functions.Metadata.Url")).toBe(`${origin}/functions.json`);
    expect(ids.get("Taskpane.Url")).toBe(`${origin}/taskpane.html`);
  });

  it("serves functions.json with the golden ids and help links on the dev server", async () => {
    const response = await get("/functions.json");
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^application\/json/);
    const metadata = JSON.parse(response.body.toString("utf8")) as FunctionsMetadata;
    expect(metadata.functions.map((fn) => fn.id)).toEqual(golden.functions.map((fn) => fn.id));
    for (const fn of metadata.functions) expect(fn.helpUrl).toMatch(new RegExp(`^${origin}/docs/functions\\.html#`));
  });

  it("serves functions.js and taskpane.html, which loads the functions, commands and task pane scripts", async () => {
    const functions = await get("/functions.js");
    expect(functions.status).toBe(200);
    expect(functions.type).toMatch(/javascript/);
    expect(functions.body.toString("utf8")).toContain('associate("EQUITY_PER_WATT"');
    const page = await get("/taskpane.html");
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    const scripts = [...page.body.toString("utf8").matchAll(/<script[^>]*src="?([^"\s>]+)/g)].map((match) => match[1]);
    expect(scripts.slice(1)).toEqual(["functions.js", "commands.js", "taskpane.js"]);
  });

  it("serves the .xlsx writer's .wasm as application/wasm, a module WebAssembly accepts", async () => {
    const wasm = await get("/xlsx/wasm_xlsxwriter_bg.wasm");
    expect(wasm.status).toBe(200);
    expect(wasm.type).toBe("application/wasm");
    const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } };
    expect(wasmApi.validate(wasm.body)).toBe(true);
  });

  it("listens on loopback only", () => {
    expect(log).toMatch(/Loopback: https:\/\/localhost:\d+\//);
    expect(log).not.toMatch(/On Your Network/);
  });
});
