import type { Random } from "./random.js";
import { literal } from "./sql.js";

/**
 * Strings matching a simple regular expression, for CHECK (code ~ '^[A-Z]{3}-[0-9]{4}$') when the
 * name-based generator does not fit. Supports anchors, literals, escapes (\d \w \s \. …), classes
 * with ranges, `.`, groups, alternation and the quantifiers ? * + {n} {m,n}. Undefined otherwise.
 */
export function patternValue(pattern: string, random: Random): string | undefined {
  try {
    const parser = new Parser(pattern.replace(/^\^/, "").replace(/\$$/, ""));
    const node = parser.alternation();
    if (!parser.done()) return undefined;
    const counter = { n: 0 };
    return render(node, random, counter);
  } catch {
    return undefined;
  }
}

type Node =
  | { kind: "chars"; set: string }
  | { kind: "seq"; items: Node[] }
  | { kind: "alt"; options: Node[] }
  | { kind: "repeat"; node: Node; min: number; max: number };

const DIGITS = "0123456789";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const WORD = `${LOWER}${UPPER}${DIGITS}_`;
const MAX_REPEAT = 8;

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.i >= this.text.length;
  }

  alternation(): Node {
    const options = [this.sequence()];
    while (this.text[this.i] === "|") {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: "alt", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (!this.done() && this.text[this.i] !== "|" && this.text[this.i] !== ")") items.push(this.quantified(this.atom()));
    return { kind: "seq", items };
  }

  private atom(): Node {
    const ch = this.text[this.i++]!;
    if (ch === "(") {
      if (this.text.startsWith("?:", this.i)) this.i += 2;
      const inner = this.alternation();
      if (this.text[this.i++] !== ")") throw new Error("unclosed group");
      return inner;
    }
    if (ch === "[") return { kind: "chars", set: this.charClass() };
    if (ch === ".") return { kind: "chars", set: WORD };
    if (ch === "\\") return { kind: "chars", set: this.escape() };
    if ("^$*+?{".includes(ch)) throw new Error(`unsupported ${ch}`);
    return { kind: "chars", set: ch };
  }

  private escape(): string {
    const ch = this.text[this.i++]!;
    if (ch === "d") return DIGITS;
    if (ch === "w") return WORD;
    if (ch === "s") return " ";
    if (/[a-zA-Z]/.test(ch)) throw new Error(`unsupported escape \\${ch}`);
    return ch;
  }

  private charClass(): string {
    if (this.text[this.i] === "^") throw new Error("negated class");
    let set = "";
    while (this.text[this.i] !== "]") {
      if (this.done()) throw new Error("unclosed class");
      let ch = this.text[this.i++]!;
      if (ch === "\\") {
        set += this.escape();
        continue;
      }
      if (this.text[this.i] === "-" && this.text[this.i + 1] !== "]" && this.i + 1 < this.text.length) {
        const end = this.text[this.i + 1]!;
        this.i += 2;
        for (let c = ch.charCodeAt(0); c <= end.charCodeAt(0); c++) set += String.fromCharCode(c);
        continue;
      }
      set += ch;
    }
    this.i++;
    return [...new Set(set)].join("");
  }

  private quantified(node: Node): Node {
    const ch = this.text[this.i];
    if (ch === "?") return this.skip({ kind: "repeat", node, min: 0, max: 1 });
    if (ch === "*") return this.skip({ kind: "repeat", node, min: 0, max: 3 });
    if (ch === "+") return this.skip({ kind: "repeat", node, min: 1, max: 4 });
    const braces = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.text.slice(this.i));
    if (!braces) return node;
    this.i += braces[0].length;
    const min = Number(braces[1]);
    const max = braces[2] ? (braces[3] ? Number(braces[3]) : min + 3) : min;
    return { kind: "repeat", node, min, max: Math.min(max, Math.max(min, MAX_REPEAT)) };
  }

  private skip(node: Node): Node {
    this.i++;
    return node;
  }
}

/** A long fixed string of the class's characters: a substring of it is a run of "random" characters. */
function pool(set: string): string {
  let state = 0x1234567;
  let out = "";
  for (let k = 0; k < 512; k++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += set[(state >>> 8) % set.length];
  }
  return out;
}

function render(node: Node, random: Random, counter: { n: number }): string {
  const label = () => `p${counter.n++}`;
  switch (node.kind) {
    case "chars":
      return node.set.length === 1 ? literal(node.set) : `substr(${literal(pool(node.set))}, 1 + ${random.below(label(), 500)}::int, 1)`;
    case "seq":
      return node.items.length === 0 ? "''" : node.items.map((item) => render(item, random, counter)).join(" || ");
    case "alt":
      return `(ARRAY[${node.options.map((o) => render(o, random, counter)).join(", ")}])[1 + ${random.below(label(), node.options.length)}]`;
    case "repeat": {
      const length = node.min === node.max ? String(node.min) : `(${node.min} + ${random.below(label(), node.max - node.min + 1)})::int`;
      if (node.node.kind === "chars" && node.node.set.length > 1) return `substr(${literal(pool(node.node.set))}, 1 + ${random.below(label(), 500 - node.max)}::int, ${length})`;
      const parts = Array.from({ length: node.max }, (_, k) => (k < node.min ? render(node.node, random, counter) : `CASE WHEN ${k} < ${length} THEN ${render(node.node, random, counter)} ELSE '' END`));
      return parts.length ? parts.join(" || ") : "''";
    }
  }
}
