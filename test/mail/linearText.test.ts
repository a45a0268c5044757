/**
 * Issue #18, «Linear-time handling of untrusted text»: every validator and parser that sees mail, API
 * or console input. No clocks here: the bound is the lint rule (every regular expression in the folders
 * that see input is checked for super-linear backtracking and moves, and the rule is shown to catch the
 * pattern of finding 1), the results on adversarial strings of 1k, 10k and 100k characters, and
 * extraction that reads only bounded lines (its result does not depend on anything past the bounds).
 * The time goal is `npm run fuzz`'s event-loop figure.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import {
  containsObsceneLanguage,
  findObsceneWords,
  isStorableText,
  normalizeEmail,
  normalizeInn,
  normalizePhone,
  normalizeSnils,
  storableJson,
  storableText,
} from '../../domain';
import { automaticReason, checkSender, idsInText, isForward } from '../../mail/classify';
import { emailInLine, EXTRACT_LIMITS, extractIntake } from '../../mail/extract';
import { withoutTags, type InboundMessage } from '../../mail/parse';
import { DEFAULT_MESSAGE_BUDGET, overSizeBudget, overTimeBudget } from '../../mail/budget';
import { Rng } from '../../scripts/fuzz/rng';
import { SLOW_TARGETS, slowString, type SlowTarget } from '../../scripts/fuzz/slow';

const ROOT = path.resolve(__dirname, '../..');

const message = (text: string, over: Partial<InboundMessage> = {}): InboundMessage => ({
  messageId: '<m1@example.ru>',
  fromAddress: 'sender@bubblegum.ru',
  fromName: null,
  to: ['help@dprim.ru'],
  subject: '',
  text,
  date: null,
  referenced: [],
  headers: {},
  attachments: [],
  deliveryReport: null,
  ...over,
});

// The pattern of finding 1, kept here (outside the linted folders) as the oracle of behaviour.
const OLD_EMAIL_IN_LINE = /[^\s<>()[\]*,;:"«»]+@[^\s<>()[\]*,;:"«»]+\.[^\s<>()[\]*,;:"«»]+/u;

describe('the lint rule that keeps untrusted text linear (issue #18)', () => {
  // ESLint and the plugin are ES modules: asked in a child process, as `npm run lint` would.
  const lint = (): {
    rules: Record<string, Record<string, unknown>>;
    probe: { ruleId: string }[];
    sources: { file: string; ruleId: string; line: number }[];
  } => {
    const script = `
      import { ESLint, Linter } from 'eslint';
      import regexp from 'eslint-plugin-regexp';
      import tseslint from 'typescript-eslint';
      import { readFileSync, readdirSync } from 'node:fs';
      const files = ${JSON.stringify([
        'mail/extract.ts',
        'mail/dispatcher.ts',
        'api/app.ts',
        'domain/validation/contacts.ts',
        'cli/service.ts',
        'web/src/features/mail/outcome.ts',
        'db/repositories/inbox.ts',
        'scripts/fuzz/run.ts',
      ])};
      const eslint = new ESLint({ cwd: process.cwd() });
      const rules = {};
      for (const f of files) {
        const c = await eslint.calculateConfigForFile(f);
        rules[f] = {
          backtracking: c.rules['regexp/no-super-linear-backtracking'],
          move: c.rules['regexp/no-super-linear-move'],
        };
      }
      const config = [{
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        plugins: { regexp },
        rules: {
          'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
          'regexp/no-super-linear-move': ['error', { report: 'potential', ignorePartial: false, ignoreSticky: false }],
        },
      }];
      const linter = new Linter({ configType: 'flat' });
      const probe = linter.verify(${JSON.stringify(`export const p = ${OLD_EMAIL_IN_LINE.toString()};`)}, config, 'probe.ts');
      const sources = [];
      for (const dir of ['mail', 'domain/validation']) {
        for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
          const file = dir + '/' + f;
          for (const m of linter.verify(readFileSync(file, 'utf8'), config, file))
            sources.push({ file, ruleId: m.ruleId, line: m.line, message: m.message });
        }
      }
      console.log(JSON.stringify({ rules, probe, sources }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return JSON.parse(out) as ReturnType<typeof lint>;
  };

  it('is an error in every folder that sees input, catches the pattern of finding 1, and finds nothing in mail/ and domain/validation', () => {
    const { rules, probe, sources } = lint();
    for (const [file, r] of Object.entries(rules)) {
      expect({ file, backtracking: r.backtracking }).toEqual({
        file,
        backtracking: [2, { report: 'potential' }],
      });
      expect({ file, move: r.move }).toEqual({
        file,
        move: [2, { report: 'potential', ignorePartial: false, ignoreSticky: false }],
      });
    }
    expect(probe.map((m) => m.ruleId)).toEqual(
      expect.arrayContaining(['regexp/no-super-linear-backtracking', 'regexp/no-super-linear-move']),
    );
    expect(sources).toEqual([]);
  }, 120_000);
});

describe('the scans that replaced super-linear patterns keep their behaviour (issue #18)', () => {
  // Short strings of the characters that matter, where the old pattern's cost does not matter.
  const line = fc.string({
    unit: fc.constantFrom('a', 'b', '@', '.', ' ', '*', '<', '>', ',', ':', '«', '»', 'ж', '-', '"'),
    maxLength: 40,
  });

  it('emailInLine finds what the old pattern found, on any line', () => {
    fc.assert(
      fc.property(line, (s) => {
        expect(emailInLine(s)).toBe(OLD_EMAIL_IN_LINE.exec(s)?.[0]);
      }),
      { numRuns: 3000 },
    );
  });

  it('withoutTags replaces what /<[^>]+>/g replaced', () => {
    const html = fc.string({ unit: fc.constantFrom('<', '>', 'a', ' ', '/', 'ж'), maxLength: 40 });
    fc.assert(
      fc.property(html, (s) => {
        expect(withoutTags(s)).toBe(s.replace(/<[^>]+>/g, ' '));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('every validator and parser on adversarial strings of 1k, 10k and 100k characters (issue #18)', () => {
  const LENGTHS = [1_000, 10_000, 100_000];
  const targets = Object.keys(SLOW_TARGETS) as SlowTarget[];
  const rng = new Rng(18);
  const inputs = targets.flatMap((target) =>
    LENGTHS.flatMap((length) =>
      Array.from({ length: 3 }, () => ({ target, length, text: slowString(rng, length, target).text })),
    ),
  );

  it('the validators answer, and what they accept is well-formed', () => {
    for (const { text } of inputs) {
      const email = normalizeEmail(text);
      if (email !== null) expect(email.length).toBeLessThanOrEqual(64 + 1 + 253);
      const phone = normalizePhone(text);
      if (phone !== null) expect(phone).toMatch(/^\+\d{8,15}$/);
      const snils = normalizeSnils(text);
      if (snils !== null) expect(snils).toMatch(/^\d{11}$/);
      const inn = normalizeInn(text);
      if (inn !== null) expect(inn).toMatch(/^(?:\d{10}|\d{12})$/);
      expect(findObsceneWords(text).length).toBeLessThanOrEqual(text.length);
      expect(typeof containsObsceneLanguage(text)).toBe('boolean');
      expect(isStorableText(storableText(text, 20_000), 20_000)).toBe(true);
      expect(storableJson({ [text.slice(0, 100)]: [text] })).toEqual(
        storableJson(storableJson({ [text.slice(0, 100)]: [text] })),
      );
    }
  });

  it('the mail parsers answer: a found address is one word with an «@» and a dot after it', () => {
    for (const { text } of inputs) {
      const found = emailInLine(text);
      if (found !== undefined) {
        expect(text).toContain(found);
        expect(found).toMatch(/^[^\s<>()[\]*,;:"«»]+$/u);
        expect(found.indexOf('@', 1)).toBeGreaterThan(0);
      }
      expect(withoutTags(text).length).toBeLessThanOrEqual(text.length);
      const m = message(text, { subject: text.slice(0, 1000), fromName: text.slice(0, 300) });
      expect(typeof isForward(m.subject)).toBe('boolean');
      expect(idsInText(m, 'ID').every((id) => /^ID\d{4,12}$/.test(id))).toBe(true);
      expect(automaticReason(m, 'sender@bubblegum.ru', 'dprim.ru')).toBeNull();
      expect(checkSender(text.slice(0, 320), 'sender@bubblegum.ru').address).toBeDefined();
      const { intake } = extractIntake(m, 'primorye');
      expect(intake.description?.length ?? 0).toBeLessThanOrEqual(20_000);
      expect(intake.initiator?.email === undefined || normalizeEmail(intake.initiator.email) !== null).toBe(
        true,
      );
    }
  });

  it('extraction reads bounded lines: nothing past its line and character bounds changes the fields it finds', () => {
    const head = 'Не формируется отчёт.\n\nФИО: Тестов Тест Тестович\nДолжность: специалист\n«Бубль-Гум»';
    for (const { text } of inputs.filter((i) => i.length === 100_000)) {
      // Beyond the bounds: a hostile tail, or a tail that names other fields; the fields stay the same.
      const filler = Array.from({ length: EXTRACT_LIMITS.lines }, () => 'x').join('\n');
      const a = extractIntake(message(`${head}\n${filler}\n${text}`), 'primorye').intake.initiator;
      const b = extractIntake(
        message(`${head}\n${filler}\nФИО: Другой Человек\nother@example.ru\nСНИЛС: 112-233-445 95`),
        'primorye',
      ).intake.initiator;
      expect(a).toEqual(b);
      const long = extractIntake(
        message(`ФИО: Тестов Тест Тестович${' '.repeat(EXTRACT_LIMITS.lineChars)}${text}`),
        'primorye',
      ).intake.initiator;
      expect(long.fullName).toBe('Тестов Тест Тестович');
    }
  });
});

describe('the budget of one message (issue #18)', () => {
  it('more lines than the budget is over it before any work; a decision slower than the budget is over it', () => {
    const lines = DEFAULT_MESSAGE_BUDGET.maxLines;
    expect(overSizeBudget(message('a\n'.repeat(lines - 1)), DEFAULT_MESSAGE_BUDGET)).toBeNull();
    expect(overSizeBudget(message('a\n'.repeat(lines)), DEFAULT_MESSAGE_BUDGET)).toBe(
      `over the processing budget: more than ${lines} lines`,
    );
    expect(overTimeBudget(DEFAULT_MESSAGE_BUDGET.maxMs, DEFAULT_MESSAGE_BUDGET)).toBeNull();
    expect(overTimeBudget(DEFAULT_MESSAGE_BUDGET.maxMs + 1, DEFAULT_MESSAGE_BUDGET)).toBe(
      `over the processing budget: ${DEFAULT_MESSAGE_BUDGET.maxMs + 1} ms, at most ${DEFAULT_MESSAGE_BUDGET.maxMs} ms`,
    );
  });
});
