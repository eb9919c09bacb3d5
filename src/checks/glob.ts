/**
 * Object-path patterns: `*` matches inside one dotted part, `**` across parts, the rest is literal.
 * With `children` (the default), a pattern naming an object also covers the objects inside it.
 */
export function globToRegExp(glob: string, options: { children?: boolean } = {}): RegExp {
  const escaped = glob
    .split("**")
    .map((part) =>
      part
        .split("*")
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^.]*"),
    )
    .join(".*");
  return new RegExp(options.children === false ? `^${escaped}$` : `^${escaped}(\\..*)?$`);
}
