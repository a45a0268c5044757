/** Seed 003 п. 3.1.1, 3.2.1, 3.3.1: the FAQ knowledge base, searched in Russian. */
import { createHash } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { faqArticles } from '../schema';

export type FaqArticle = Omit<typeof faqArticles.$inferSelect, 'search'>;

export interface FaqInput {
  readonly id?: string;
  readonly question: string;
  readonly answer: string;
  readonly keywords?: string;
  readonly source?: string | null;
}

const columns = {
  id: faqArticles.id,
  question: faqArticles.question,
  answer: faqArticles.answer,
  keywords: faqArticles.keywords,
  source: faqArticles.source,
  createdAt: faqArticles.createdAt,
  updatedAt: faqArticles.updatedAt,
};

/** Imported articles without an id get one from their question, so a repeated import updates rather than duplicates. */
export const faqIdOf = (question: string): string =>
  `faq-${createHash('sha256').update(question.trim().toLowerCase()).digest('hex').slice(0, 12)}`;

export async function getFaqArticle(db: Database, id: string): Promise<FaqArticle | null> {
  const [row] = await db.select(columns).from(faqArticles).where(eq(faqArticles.id, id)).limit(1);
  return row ?? null;
}

export async function saveFaqArticles(
  db: Database,
  articles: readonly FaqInput[],
): Promise<{ created: number; updated: number; ids: string[] }> {
  if (!articles.length) return { created: 0, updated: 0, ids: [] };
  const rows = articles.map((a) => ({
    id: a.id ?? faqIdOf(a.question),
    question: a.question,
    answer: a.answer,
    keywords: a.keywords ?? '',
    source: a.source ?? null,
  }));
  const result = await db
    .insert(faqArticles)
    .values(rows)
    .onConflictDoUpdate({
      target: faqArticles.id,
      set: {
        question: sql`excluded.question`,
        answer: sql`excluded.answer`,
        keywords: sql`excluded.keywords`,
        source: sql`excluded.source`,
        updatedAt: sql`now()`,
      },
    })
    .returning({ id: faqArticles.id, inserted: sql<boolean>`(xmax = 0)` });
  const created = result.filter((r) => r.inserted).length;
  return { created, updated: result.length - created, ids: result.map((r) => r.id) };
}

export async function deleteFaqArticle(db: Database, id: string): Promise<boolean> {
  return (
    (await db.delete(faqArticles).where(eq(faqArticles.id, id)).returning({ id: faqArticles.id })).length > 0
  );
}

/** Ranked search (question weighs most, then keywords, then the answer); all articles when q is empty. */
export async function searchFaq(
  db: Database,
  q: string | undefined,
  limit: number,
): Promise<(FaqArticle & { rank: number | null })[]> {
  if (!q?.trim()) {
    const rows = await db.select(columns).from(faqArticles).orderBy(desc(faqArticles.updatedAt)).limit(limit);
    return rows.map((r) => ({ ...r, rank: null }));
  }
  const query = sql`websearch_to_tsquery('russian', ${q.trim()})`;
  return db
    .select({ ...columns, rank: sql<number>`ts_rank(${faqArticles.search}, ${query})` })
    .from(faqArticles)
    .where(sql`${faqArticles.search} @@ ${query}`)
    .orderBy(sql`ts_rank(${faqArticles.search}, ${query}) desc`, faqArticles.id)
    .limit(limit);
}
