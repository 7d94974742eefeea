import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// Chrome refuses to compile modules over 4 KiB synchronously on a page's main thread. Node never
// does, so a child process stands in for that browser by making WebAssembly.Module throw Chrome's
// RangeError once graft is loaded (the probe at load time passes, as it does in Chrome).
const script = `
const g = await import("./src/index.ts");
const warnings = [];
console.warn = (m) => warnings.push(String(m));
const Real = WebAssembly.Module;
WebAssembly.Module = function () {
  throw new RangeError("WebAssembly.Module(): Compiling a module over 4KB is disallowed on the main thread");
};
const f = g.jit((x) => g.np.tanh(x).mul(2).sum());
const x = g.np.linspace(-1, 1, 5000);
const jitted = f(x).item();
const eager = g.np.exp(x).sum().item();
WebAssembly.Module = Real;
const ref = g.withBackend("cpu", () => [g.jit((y) => g.np.tanh(y).mul(2).sum())(g.np.linspace(-1, 1, 5000)).item(), g.np.exp(g.np.linspace(-1, 1, 5000)).sum().item()]);
console.log(JSON.stringify({ backend: f(x).backend, jitted, eager, ref, warnings }));
`;

describe("where synchronous WebAssembly compilation is refused (a browser's main thread)", () => {
  it("jitted functions and large eager operations fall back to the reference kernels, with one warning", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, GRAFT_BACKEND: "wasm", GRAFT_THREADS: "1" },
    });
    const r = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as {
      backend: string;
      jitted: number;
      eager: number;
      ref: [number, number];
      warnings: string[];
    };
    expect(r.backend).toBe("wasm");
    // The reference kernels computed both: the results are the reference's, bit for bit.
    expect(r.jitted).toBe(r.ref[0]);
    expect(r.eager).toBe(r.ref[1]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/does not compile WebAssembly synchronously on the main thread.*Web Worker/);
  });
});
