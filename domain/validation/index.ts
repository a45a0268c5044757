export { normalizeSnils, formatSnils, normalizeInn } from './identifiers';
export { normalizeEmail, normalizePhone } from './contacts';
export { findObsceneWords, containsObsceneLanguage } from './obscene';
export { storableText } from './text';
