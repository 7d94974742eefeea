/** The `graft-ad/train` entry point: installs graft (see src/install.ts) and exports the train library. */
import { install } from "../install.js";

install();

export * from "../train/index.js";
