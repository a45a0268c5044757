/**
 * PostgreSQL's plans as the plan tests read them (`explain (analyze, format json)`): the nodes of a
 * plan and the rows each scan looked at, so a test can say «reads no more than N rows».
 */
import type pg from 'pg';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Plan Rows': number;
  'Total Cost': number;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  /** With `buffers`. */
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** A plan's nodes, the root first. */
export const planNodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(planNodes)];

/** Rows a node looked at over all its loops: what it passed on and what it checked and dropped. */
export const rowsExamined = (n: PlanNode): number =>
  (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) *
  n['Actual Loops'];

/** Runs `query` under `explain (analyze[, buffers], format json)` and returns its plan's root. */
export async function explainAnalyze(
  pool: pg.Pool,
  query: { sql: string; params: unknown[] },
  { buffers = false }: { buffers?: boolean } = {},
): Promise<PlanNode> {
  const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `explain (analyze${buffers ? ', buffers' : ''}, format json) ${query.sql}`,
    query.params,
  );
  return rows[0]!['QUERY PLAN'][0].Plan;
}

/** Buffers a node touched, from memory or disk (`buffers` must have been asked for). */
export const buffersTouched = (n: PlanNode): number =>
  (n['Shared Hit Blocks'] ?? 0) + (n['Shared Read Blocks'] ?? 0);
