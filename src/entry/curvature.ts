/** The `graft-ad/curvature` entry point: installs graft (see src/install.ts) and exports the curvature library. */
import { install } from "../install.js";

install();

export * from "../curvature/index.js";
