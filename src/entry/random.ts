/** The `graft-ad/random` entry point: installs graft (see src/install.ts) and exports the random library. */
import { install } from "../install.js";

install();

export * from "../random/index.js";
