/** The `graft-ad/viz` entry point: installs graft (see src/install.ts) and exports the program drawings. */
import { install } from "../install.js";

install();

export * from "../viz/index.js";
