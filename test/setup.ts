// Tests import internal modules directly, below the package entry points: install graft first,
// as every entry point does (primitive rules, backends, array methods).
import { install } from "../src/install.js";

install();
