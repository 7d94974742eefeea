/**
 * A small XML well-formedness parser for the SVG tests (no dependency): elements nest and close,
 * attributes are quoted and unique, text holds no raw `<` and only the five predefined entities
 * or numeric references. Returns the element tree with attributes and text unescaped.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const unescape = (s: string, where: string): string => {
  if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`bad '&' in ${where}: ${s}`);
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (e in named) return named[e]!;
    return String.fromCodePoint(e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
};

export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack = [root];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    const chunk = text.slice(i, lt === -1 ? text.length : lt);
    if (chunk.includes(">")) throw new Error(`raw '>' in text: ${chunk}`);
    stack.at(-1)!.text += unescape(chunk, "text");
    if (lt === -1) break;
    const gt = text.indexOf(">", lt);
    if (gt === -1) throw new Error("unterminated tag");
    const tag = text.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith("/")) {
      const open = stack.pop()!;
      if (open.name !== tag.slice(1).trim()) throw new Error(`</${tag.slice(1)}> closes <${open.name}>`);
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const m = /^([A-Za-z][\w:.-]*)((?:\s+[A-Za-z][\w:.-]*="[^"<]*")*)\s*\/?$/.exec(tag);
    if (!m) throw new Error(`malformed tag <${tag}>`);
    const el: XmlElement = { name: m[1]!, attrs: {}, children: [], text: "" };
    for (const a of m[2]!.matchAll(/([A-Za-z][\w:.-]*)="([^"]*)"/g)) {
      if (a[1]! in el.attrs) throw new Error(`duplicate attribute ${a[1]} in <${m[1]}>`);
      el.attrs[a[1]!] = unescape(a[2]!, `attribute ${a[1]}`);
    }
    stack.at(-1)!.children.push(el);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (root.children.length !== 1 || root.text.trim() !== "") throw new Error("expected one root element");
  return root.children[0]!;
}

/** Every element below `el` (depth first, document order). */
export function descendants(el: XmlElement): XmlElement[] {
  return el.children.flatMap((c) => [c, ...descendants(c)]);
}

/** The concatenated text of an element and its descendants. */
export function textOf(el: XmlElement): string {
  return el.text + el.children.map(textOf).join("");
}
