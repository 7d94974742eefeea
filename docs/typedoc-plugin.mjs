/**
 * TypeDoc plugin (see typedoc.json), for the HTML in docs/api only:
 * - names each entry-point module after its import path (`graft`, `graft-ad/nn`, `graft-ad/optim`...)
 *   instead of its file path (`index`, `entry/nn`, `entry/optim`...);
 * - titles each project document (docs/architecture.md) by its first `# ` heading instead of its
 *   file name (front matter would do it, but Biome's Markdown formatter does not keep it);
 * - gives every Markdown heading an extra anchor with GitHub's slug (`#the-np-namespace`), next to
 *   TypeDoc's own (`#the-namespace`, which drops code spans), so the README's table of contents and
 *   links between documents work both on GitHub and in the generated pages.
 */
import { Comment, Converter, MarkdownEvent, ReflectionKind } from "typedoc";

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
const githubSlug = (text) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");

const decodeEntities = (s) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      if (mod.name === "index") mod.name = "graft";
      else if (mod.name.startsWith("entry/")) mod.name = `graft-ad/${mod.name.slice("entry/".length)}`;
    }
  });

  app.converter.on(Converter.EVENT_CREATE_DOCUMENT, (_context, doc) => {
    const title = /^# (.+)$/m.exec(Comment.combineDisplayParts(doc.content))?.[1];
    if (title) doc.name = title.replace(/`/g, "").trim();
  });

  app.renderer.on(MarkdownEvent.PARSE, (event) => {
    const seen = new Map();
    event.parsedText = event.parsedText.replace(
      /(<h([1-6]) id="([^"]*)"[^>]*>)([\s\S]*?)(<\/h\2>)/g,
      (whole, open, _level, id, inner, close) => {
        const text = decodeEntities(
          inner.replace(/<a [^>]*class="tsd-anchor-icon"[\s\S]*?<\/a>/g, "").replace(/<[^>]+>/g, ""),
        );
        const base = githubSlug(text.trim());
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        const slug = n === 0 ? base : `${base}-${n}`;
        if (!slug || slug === id) return whole;
        return `${open}<a id="${slug}" aria-hidden="true"></a>${inner}${close}`;
      },
    );
  });
}
