/** Runs everywhere, no server needed: the workflow code bundles for Temporal's sandbox. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import ts from 'typescript';
import { quietLogger } from '../support/quietLogger';
import { bundleOptions } from '../../worker/workflowBundle';

describe('workflow bundle', () => {
  it('builds offline: no Node-only or non-deterministic module reaches workflow code', async () => {
    const { code } = await bundleWorkflowCode({
      ...bundleOptions,
      logger: quietLogger,
    });
    expect(code).toContain('ticketWorkflow');
    // Issue #21 (the first command on a ticket took half a second, each cached ticket ~600 KiB): the
    // pure domain is loaded once into the worker's shared context, not again for every workflow.
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code);
    expect(preload?.[1]).toMatch(/_require__\([^)]*domain\/index/);
    // …and so are the workflow modules and the SDK's workflow API they import (issue #21: a cached
    // ticket kept its own evaluated copy of them, ≈ 24 KiB of heap each).
    expect(preload?.[1]).toMatch(/_require__\([^)]*workflows\/index/);
    // Neither the database, the mail library, the HTTP server nor luxon is in the sandbox.
    for (const forbidden of [
      'node_modules/pg/',
      'node_modules/nodemailer/',
      'node_modules/express/',
      'node_modules/luxon/',
      'node_modules/drizzle-orm/',
    ]) {
      expect(code).not.toContain(forbidden);
    }
  }, 120_000);
});

/**
 * Issue #21: the workflow modules are shared by every ticket in a worker, so a value kept at a
 * module's top level would be shared by every ticket (the SDK freezes only what a module exports).
 * Everything a ticket owns lives inside its workflow function.
 */
describe('workflow modules hold no state of their own', () => {
  const WORKFLOW_MODULES = ['index.ts', 'ticket.ts', 'messages.ts'];

  /** Top-level declarations that could hold a ticket's data: let/var, mutable containers. */
  function moduleState(file: string): string[] {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const found: string[] = [];
    for (const statement of source.statements) {
      if (ts.isExpressionStatement(statement)) found.push(`top-level statement: ${statement.getText()}`);
      if (!ts.isVariableStatement(statement)) continue;
      const list = statement.declarationList;
      if (!(list.flags & ts.NodeFlags.Const)) found.push(`let/var: ${list.getText()}`);
      const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      for (const d of list.declarations) {
        const init = d.initializer;
        if (!init) continue;
        const container =
          ts.isArrayLiteralExpression(init) ||
          (ts.isNewExpression(init) && /^(Map|Set|WeakMap|WeakSet|Array)$/.test(init.expression.getText())) ||
          // Exported objects are frozen by the SDK; a private one could be written to.
          (!exported && ts.isObjectLiteralExpression(init));
        if (container) found.push(`mutable container: ${d.name.getText()}`);
      }
    }
    return found;
  }

  it.each(WORKFLOW_MODULES)('workflows/%s', (name) => {
    expect(moduleState(join(__dirname, '../../workflows', name))).toEqual([]);
  });

  it('finds state where there is some (the check itself)', () => {
    const file = join(__dirname, '../fixtures/moduleState.ts');
    expect(moduleState(file)).toEqual([
      'let/var: let current = 0',
      'mutable container: seen',
      'mutable container: byTicket',
      'mutable container: counters',
      'top-level statement: current++;',
    ]);
  });
});
