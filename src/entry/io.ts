/** The `graft-ad/io` entry point: installs graft (see src/install.ts) and exports the io library. */
import { install } from "../install.js";

install();

export * from "../io/index.js";
