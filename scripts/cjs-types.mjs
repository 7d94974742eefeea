// After `tsc -p tsconfig.build.json`: a `.d.cts` twin of every declaration file, with relative
// imports pointing at `.cjs`, so TypeScript users on CommonJS (`require` condition, node16/nodenext)
// get declarations of the CommonJS build instead of error TS1479.
import fs from "node:fs";
import path from "node:path";

const root = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "dist", "types");
let count = 0;
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.name.endsWith(".d.ts")) {
      const text = fs
        .readFileSync(p, "utf8")
        .replace(/(from\s+|import\()(["'])(\.{1,2}\/[^"']+)\.js\2/g, "$1$2$3.cjs$2");
      fs.writeFileSync(p.replace(/\.d\.ts$/, ".d.cts"), text);
      count++;
    }
  }
};
walk(root);
console.log(`cjs-types: wrote ${count} .d.cts declaration files`);
