/** The `graft-ad/fp` entry point: installs graft (see src/install.ts) and exports the fp-ts bridge. */
import { install } from "../install.js";

install();

export * from "../fp/index.js";
