/** The functional core: calendar, regulations, ticket rules, validators. No I/O. */
export * from './calendar';
export * from './regulations';
export * from './ticket';
export * from './validation';
export * from './notifications';
