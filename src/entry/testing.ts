/** The `graft-ad/testing` entry point: installs graft (see src/install.ts) and exports the testing library. */
import { install } from "../install.js";

install();

export * from "../testing/index.js";
