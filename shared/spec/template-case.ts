// Case conversions behind clnrm's slug/kebab/snake/camel/pascal template functions and filters.
// Words split at anything that is not a letter or digit and at case changes ("HTTPServer" →
// http, server; "userId" → user, id), like the Inflector crate clnrm uses.

const WORD_RUN = /[\p{L}\p{N}]+/gu;

export function words(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(WORD_RUN) ?? []) {
    // lower|Upper and ACRONYM|Word boundaries.
    const parts = run.replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2').replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2');
    for (const part of parts.split(' ')) if (part) out.push(part);
  }
  return out;
}

export const kebab = (text: string): string => words(text).map((w) => w.toLowerCase()).join('-');
export const snake = (text: string): string => words(text).map((w) => w.toLowerCase()).join('_');
// Letters and digits only, as clnrm's slug keeps (the word split already drops everything else).
export const slug = kebab;

const capital = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
export const pascal = (text: string): string => words(text).map(capital).join('');
export const camel = (text: string): string => {
  const p = pascal(text);
  return p.charAt(0).toLowerCase() + p.slice(1);
};
