/**
 * How two display names are compared: by a key (a "skeleton") that is the same for names a reader
 * cannot tell apart. `users.name_key` holds it, UNIQUE, so two accounts cannot take "Kestrel" and
 * "KESTREL", "K e s t r e l", "Kеstrel" (Cyrillic е) or "Kestre1".
 *
 * The key, step by step (display-names.test.ts lists the pairs tested, both ways):
 * 1. Unicode NFKC: compatibility forms become plain ones (full-width "Ｋ", circled "Ⓚ", math "𝐊",
 *    the roman numeral "ⅼ", ligatures "ﬁ", superscripts).
 * 2. Case folding: upper-casing then lower-casing (so "ß" folds to "ss", final "ς" to "σ").
 * 3. Accents off Latin, Greek and Cyrillic letters ("José" = "Jose", "Ёлка" = "Елка"). Marks on other
 *    scripts' letters stay: Devanagari or Thai vowel signs tell names apart.
 * 4. Look-alikes: each character the `confusables` library maps to a Latin look-alike is replaced by
 *    it ("Ꭺ" Cherokee → "A", "ℓ" → "l", "|" → "l"), except in LOOSE_SCRIPTS. For those the table is
 *    loose and merges letters native readers tell apart (Chinese 丁, 七 and 下 all "T", Thai ก and ภ
 *    both "n", Armenian ո, ռ and ղ all "n", Cyrillic Л, П and И all "N"), so their letters are kept,
 *    and only the few that do look like a Latin letter are mapped, by LATIN_LOOKALIKES (Greek,
 *    Cyrillic and Armenian). "Kеstrel" (Cyrillic е) and "Bօb" (Armenian օ) are caught, and so is an
 *    all-Cyrillic "Васа" against the Latin "Baca" it looks like (intended); two different Chinese,
 *    Thai or Russian names never collide.
 * 5. Lower-case again (the table answers in both cases), then drop everything that is not a letter,
 *    a number or a mark: spaces of every kind, the separators the name schema allows (_ . - '),
 *    other punctuation, symbols, emoji and invisible characters (zero-width joiners, bidi controls).
 *    So "K e s t r e l", "K.e.s.t.r.e.l" and "Kestrel 🔥" are "kestrel". Marks left on a Latin
 *    letter or a digit go too.
 * 6. Digits that pass for letters: 0 → o and 1 → l ("B0b" = "Bob", "Kestre1" = "Kestrel").
 *
 * Decided against, because they would block real names: "I" and "l" as one letter (after case
 * folding "I" is "i"; merging i with l would make Neil = Nell, Kai = Kal, Eli = Ell); "rn" as "m"
 * (Arnie = Amie); 5/S, 2/Z and 8/B.
 */
import { confusablesMap } from "confusables";

/**
 * Greek, Cyrillic and Armenian letters that look like a Latin letter in one of their cases, keyed
 * by their case-folded (small) form: "а" a, "В"/"в" b, "Н"/"н" h, "Κ"/"κ" k, "օ" o. Where the
 * capital and the small letter look like different Latin ones (Η H but η n, Ν N but ν v, Υ Y but
 * υ u), the capital wins: a key that ignores case cannot follow both, and names start with (or are
 * all) capitals. The library maps more of these scripts' letters, loosely, and merges real names:
 * Л, П and И all become "N" (Лена = Пена), Д and А both "A" (Дина = Аина); those stay themselves.
 */
export const LATIN_LOOKALIKES = new Map(
  Object.entries({
    // Cyrillic
    а: "a",
    в: "b",
    е: "e",
    к: "k",
    м: "m",
    н: "h",
    о: "o",
    р: "p",
    с: "c",
    т: "t",
    у: "y",
    х: "x",
    і: "i",
    ј: "j",
    ѕ: "s",
    һ: "h",
    ԁ: "d",
    ԛ: "q",
    ԝ: "w",
    ӏ: "l",
    // Greek
    α: "a",
    β: "b",
    γ: "y",
    ε: "e",
    ζ: "z",
    η: "h",
    ι: "i",
    κ: "k",
    μ: "m",
    ν: "n",
    ο: "o",
    ρ: "p",
    τ: "t",
    υ: "y",
    χ: "x",
    ω: "w",
    // Armenian
    օ: "o",
    ս: "u",
    հ: "h",
    ո: "n",
    ց: "g",
    զ: "q",
    // Latin: the table maps the small eth to "o"; it reads as a d, like its capital.
    ð: "d",
  }),
);

/**
 * Scripts whose letters the confusables table maps to Latin only loosely, merging letters that
 * native readers tell apart (see the test file): their letters stay themselves in the key, apart
 * from LATIN_LOOKALIKES. The "fancy text" spoofs this lets through (卄 for H, 山 for W) do not fool
 * a reader the way "е" for "e" does.
 */
export const LOOSE_SCRIPTS =
  /[\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\p{Script=Yi}\p{Script=Vai}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Thaana}\p{Script=Syriac}\p{Script=Nko}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\p{Script=Georgian}\p{Script=Armenian}\p{Script=Ethiopic}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}]/u;

/** Combining marks on a Latin, Greek or Cyrillic letter, in NFD text. */
const MARKS_ON_LETTERS = /(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]\p{M}*)\p{M}+/gu;

/** The same, and marks on digits or on nothing (at the start), once spaces and symbols are gone. */
const MARKS_LEFT = /(?<=(?:^|[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}])\p{M}*)\p{M}+/gu;

/** Whatever is not part of a name's letters: spaces, punctuation, symbols, controls, invisibles. */
const NOT_LETTERS = /[^\p{L}\p{N}\p{M}]/gu;

/** Cherokee folds to its capitals (as Unicode's case folding does). */
const CHEROKEE_SMALL = /[\u13F8-\u13FD\uAB70-\uABBF]/gu;

function foldCase(text: string): string {
  return text
    .toUpperCase()
    .toLowerCase()
    .replaceAll("ς", "σ")
    .replace(CHEROKEE_SMALL, (small) => small.toUpperCase());
}

function withoutMarks(text: string, marks: RegExp): string {
  return text.normalize("NFD").replace(marks, "").normalize("NFC");
}

/** A character's Latin look-alike, or the character itself. */
function lookalikeOf(character: string): string {
  const strict = LATIN_LOOKALIKES.get(character);
  if (strict) return strict;
  if (LOOSE_SCRIPTS.test(character)) return character;
  // The table lists some Cherokee look-alikes by their small letter only.
  return confusablesMap.get(character) ?? confusablesMap.get(character.toLowerCase()) ?? character;
}

/** The key two display names are compared by: equal keys, names that look the same. */
export function displayNameKey(name: string): string {
  const folded = withoutMarks(foldCase(name.normalize("NFKC")), MARKS_ON_LETTERS);
  let mapped = "";
  for (const character of folded) mapped += lookalikeOf(character);
  // Spaces and symbols go only now: some symbols are look-alikes ("|" for l, "€" for E).
  const letters = withoutMarks(foldCase(mapped).replace(NOT_LETTERS, ""), MARKS_LEFT);
  return letters.replaceAll("0", "o").replaceAll("1", "l");
}
