/** English word forms for names: plurals and singulars of table names, guessed. */

export const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
/** Words that are plural (or need no plural) and have no regular singular. */
const UNCOUNTABLE = new Set([
  "data", "metadata", "media", "information", "equipment", "feedback", "staff", "personnel", "news", "series",
  "species", "software", "hardware", "sheep", "fish", "deer", "aircraft",
]);
const IRREGULAR: Record<string, string> = {
  people: "person", children: "child", men: "man", women: "woman", mice: "mouse", geese: "goose", feet: "foot",
  teeth: "tooth", criteria: "criterion", phenomena: "phenomenon", indices: "index", matrices: "matrix",
  vertices: "vertex", analyses: "analysis", alumni: "alumnus", menus: "menu",
};
const IRREGULAR_PLURAL = Object.fromEntries(Object.entries(IRREGULAR).map(([plural, singular]) => [singular, plural]));
/** Words ending in -ies whose singular ends in -ie. */
const IE_WORDS = new Set(["movies", "cookies", "zombies", "calories", "smoothies", "selfies", "rookies", "hoodies", "goodies", "freebies", "pies", "ties", "lies"]);

export function isPluralWord(word: string): boolean {
  return UNCOUNTABLE.has(word) || word in IRREGULAR || (word.endsWith("s") && !/(ss|us|is)$/.test(word));
}

/** Every plausible singular of a word ("statuses" → status / statuse), most likely first. */
export function singulars(word: string): string[] {
  if (UNCOUNTABLE.has(word) || !isPluralWord(word)) return [word];
  const irregular = IRREGULAR[word];
  if (irregular) return [irregular];
  const forms: string[] = [];
  if (word.endsWith("ies") && !IE_WORDS.has(word)) forms.push(`${word.slice(0, -3)}y`);
  if (/(ss|x|z|ch|sh|tus)es$/.test(word)) forms.push(word.slice(0, -2));
  forms.push(word.slice(0, -1));
  if (word.endsWith("es")) forms.push(word.slice(0, -2));
  return [...new Set(forms)];
}

export function pluralize(word: string): string {
  if (isPluralWord(word)) return word;
  const irregular = IRREGULAR_PLURAL[word];
  if (irregular) return irregular;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return /(s|x|z|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
}

/** Replaces the last word of a snake_case name. */
export function withLastWord(name: string, map: (word: string) => string): string {
  const parts = name.split("_");
  parts[parts.length - 1] = map(parts[parts.length - 1] ?? "");
  return parts.join("_");
}

