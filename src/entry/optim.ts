/** The `graft-ad/optim` entry point: installs graft (see src/install.ts) and exports the optim library. */
import { install } from "../install.js";

install();

export * from "../optim/index.js";
