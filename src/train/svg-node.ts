/**
 * Saving a loss curve to disk (Node only). `node:fs` is loaded with a dynamic import whose
 * specifier bundlers leave alone, so importing `graft-ad/train` in a browser never pulls it in;
 * only calling `writeLossCurveSvg` there fails.
 */
import type { History } from "./fit.js";
import { lossCurveSvg, type LossCurveOptions } from "./svg.js";

type FsPromises = typeof import("node:fs/promises");

const FS_MODULE = "node:fs/promises";

/**
 * Writes `lossCurveSvg(history, opts)` to `path` (UTF-8). Node only.
 *
 * @example await writeLossCurveSvg("loss.svg", result.history, { title: "MLP on digits" });
 */
export async function writeLossCurveSvg(
  path: string,
  history: History | readonly number[],
  opts: LossCurveOptions = {},
): Promise<void> {
  if (typeof path !== "string" || path === "")
    throw new TypeError("writeLossCurveSvg: path must be a non-empty string");
  const svg = lossCurveSvg(history, opts);
  let fs: FsPromises;
  try {
    fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ FS_MODULE)) as FsPromises;
  } catch (e) {
    throw new Error(
      `writeLossCurveSvg: node:fs is not available here (Node only); use lossCurveSvg to get the SVG text (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  await fs.writeFile(path, svg, "utf8");
}
