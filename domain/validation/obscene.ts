/**
 * Detector of Russian obscene language (мат) for seed 000 п. 3.5 («ненормативная лексика в тексте
 * Заявки и комментариях к ней»). It only flags a request so an operator can decide to reject it; it
 * never rejects by itself, so it prefers missing a rare disguise to flagging an ordinary word
 * («оскорблять», «употреблять», «застрахуйте», «бляха», «мандарин», «команда», «хлеб», «вебинар»).
 */

// Latin and digit look-alikes typed to dodge filters, mapped to Cyrillic.
const LOOKALIKES: Record<string, string> = {
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'н',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
  '0': 'о',
  '3': 'з',
  '6': 'б',
  '@': 'а',
  ё: 'е',
};

/** Roots of мат with the prefixes Russian builds words with; each must start the (normalised) word. */
const PREFIX =
  '(?:на|по|за|от|ото|ни|до|вы|об|обо|о|раз|рас|под|подо|при|пере|у|с|вз|из|недо|про|съ|въ|отъ|разъ|подъ|объ|изъ|взъ)?';
const PATTERNS: RegExp[] = [
  new RegExp(`^${PREFIX}ху[йеяюи]`), // хуй, хуёвый, нахуя, похуй (but not «страхуй»: no such prefix)
  /пизд/, // пизда and everything built on it; no ordinary word contains it
  new RegExp(`^${PREFIX}[её]б(?:а|ан|ал|ат|ет|ут|у|ну|ис|и|ыр|л|щ|ок|уч|ен)`), // ебать, заебал, уебок
  /^бля(?:дь?|ть|ди|дс|д)?$/, // бля, блядь, блять (not «бляха», «употреблять»)
  /^бляд/,
  /^муд(?:ак|ач|ил|озвон|охат|ень)/, // мудак (not «мудрый»)
  /^пид[оа]р/,
  /^залуп/,
  /^г[ао]ндон/,
  /^манд(?:а|ы|е|у|ой|авош)$/, // манда (not «мандарин», «мандат»)
];

/** Words that match a pattern but are ordinary Russian. */
const ORDINARY = new Set([
  'хуан',
  'хуанхэ',
  'ебонит',
  'ебонитовый',
  'оскорблять',
  'употреблять',
  'истреблять',
]);

function normaliseWord(raw: string): string {
  let w = '';
  for (const ch of raw.toLowerCase()) w += LOOKALIKES[ch] ?? ch;
  // Letters stretched for emphasis («бляяяя») count once.
  return w.replace(/(.)\1{2,}/g, '$1');
}

/** Tokens of letters, allowing disguises such as «х.у.й» or «х у й» between single letters. */
function tokens(text: string): string[] {
  const joined = text.replace(/(?<=(?:^|[\s.*_-])[\p{L}0-9@])[.*_\- ](?=[\p{L}0-9@](?:[.*_\- ]|$))/gu, '');
  return joined.split(/[^\p{L}0-9@]+/u).filter((t) => t.length > 1);
}

/** The obscene words found in a text (as written), in order, without repeats. */
export function findObsceneWords(text: string): string[] {
  const found: string[] = [];
  for (const token of tokens(text)) {
    const word = normaliseWord(token);
    if (ORDINARY.has(word)) continue;
    if (PATTERNS.some((p) => p.test(word)) && !found.includes(token)) found.push(token);
  }
  return found;
}

export function containsObsceneLanguage(text: string): boolean {
  return findObsceneWords(text).length > 0;
}
