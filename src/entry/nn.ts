/** The `graft-ad/nn` entry point: installs graft (see src/install.ts) and exports the nn library. */
import { install } from "../install.js";

install();

export * from "../nn/index.js";
