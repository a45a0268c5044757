export { normalizeSnils, formatSnils, normalizeInn } from './identifiers';
export { normalizeEmail, normalizePhone } from './contacts';
export { findObsceneWords, containsObsceneLanguage } from './obscene';
export { isStorableText, REPLACEMENT_CHARACTER, storableJson, storableText } from './text';
export { birthDateProblem } from './dates';
