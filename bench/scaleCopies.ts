/**
 * A million tickets in minutes (issue #21): a base of distinct tickets is played through the domain
 * (bench/scaleSeed.ts), then copied inside PostgreSQL. Each copy is a ticket of its own: a new ID and
 * number, an organisation and an operator drawn afresh from the base's distributions (the squared
 * draw over 400 organisations, 60 operators; the escalation specialist op07 stays), a new initiator;
 * every place that names them is rewritten (columns, state, events, the desk's letters, the inbox's
 * raw mail), so a copy reads as its own ticket on its page. Times are the base ticket's: shifting them
 * would need the working calendar again, and the base spreads them over the whole period already.
 */
import type pg from 'pg';
import { OPERATORS, ORGANIZATIONS } from './scaleSeed';

const TABLES = ['tickets', 'ticket_events', 'correspondence', 'inbox'] as const;

/** The four tables' secondary indexes (constraints stay), dropped for a load and built after it. */
export async function dropSecondaryIndexes(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename = any($1)
        and indexname not in (select conname from pg_constraint)`,
    [TABLES],
  );
  for (const r of rows) await pool.query(`drop index "${r.indexname}"`);
  return rows.map((r) => r.indexdef);
}

/** Builds indexes on `connections` sessions at once (the largest first), each with ample memory. */
export async function buildIndexes(pool: pg.Pool, definitions: readonly string[], connections = 3) {
  const queue = [...definitions].sort((a, b) => weight(b) - weight(a));
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = await pool.connect();
      try {
        await client.query(`set maintenance_work_mem = '512MB'`);
        for (let d = queue.shift(); d; d = queue.shift()) await client.query(d);
      } finally {
        client.release();
      }
    }),
  );
}
const weight = (d: string) =>
  /using gin/i.test(d) ? 3 : / ON public\.(ticket_events|correspondence) /.test(d) ? 2 : 1;

const TICKET_COLUMNS = `id, regulation, regulation_version, type, status, status_reason, line, channel,
  assignee_id, assignee_name, organization, organization_id, initiator_name, initiator_email, subject,
  description, received_at, registered_at, outcome_at, sla_due_at, sla_breached, sla_paused,
  resolution_minutes, paused_minutes, awaiting_operator, obscene, archived, seq, state, search, updated_at`;

/** The search vector as the triggers keep it (db/migrations/0019): subject, description, people's words. */
const SEARCH = (subject: string, description: string, words: string) =>
  `setweight(to_tsvector('russian', coalesce(${subject}, '')), 'A') || setweight(to_tsvector('russian', coalesce(${description}, '')), 'B') || coalesce(${words}, ''::tsvector)`;

/** Every name a copy changes, replaced in a text (state, event, letter, raw mail). */
const remap = (text: string) =>
  [
    ['m.old_id', 'm.new_id'],
    ['m.old_name', 'm.new_name'],
    ['m.old_email', 'm.new_email'],
    ['m.old_org_name', 'm.new_org_name'],
    ['m.old_org_line', 'm.new_org_line'],
    [`'"' || m.old_org || '"'`, `'"' || m.new_org || '"'`],
    ['m.old_op_json', 'm.new_op_json'],
    [`'исполнитель: ' || m.old_op_name`, `'исполнитель: ' || m.new_op_name`],
  ].reduce((s, [from, to]) => `replace(${s}, coalesce(${from}, chr(1)), coalesce(${to}, chr(1)))`, text);

/**
 * The base's search vectors (the load ran without triggers), then `count - base` copies, four tables
 * at once on their own sessions. Triggers stay off for the copies: the caller rebuilds the counters.
 */
export async function multiplyTickets(
  pool: pg.Pool,
  base: number,
  count: number,
  surnames: readonly string[],
  adjectives: readonly string[],
  log: (line: string) => void,
): Promise<void> {
  const client = await pool.connect();
  let inboxStep: number;
  try {
    await client.query(`set session_replication_role = replica`);
    await client.query(`drop table if exists seed_words, seed_copies, seed_base`);
    await client.query(`
      create unlogged table seed_words as
        select ticket_id as id, to_tsvector('russian', string_agg(event_words(event), ' ' order by seq)) as words
          from ticket_events where event_words(event) is not null group by 1`);
    await client.query(`alter table seed_words add primary key (id)`);
    await client.query(`
      update tickets t set search = ${SEARCH('t.subject', 't.description', 'w.words')}
        from tickets b left join seed_words w on w.id = b.id where b.id = t.id`);
    if (count <= base) {
      await client.query(`drop table seed_words`);
      return;
    }
    // One row per copy: what the base ticket was called and what the copy is called.
    await client.query(
      `
      create unlogged table seed_copies as
      with base as (
        select t.id, substr(t.id, 3)::int - 1000000 as idx, t.initiator_name, t.initiator_email,
               t.organization, t.organization_id, substr(t.organization_id, 5)::int as org,
               r.event->'by'->>'id' as op, r.event->'by'->>'name' as op_name
          from tickets t
          left join ticket_events r on r.ticket_id = t.id and r.type = 'registered'
      ), copies as (
        select b.*, k * $1::int + b.idx as new_idx
          from base b cross join generate_series(1, ceil($2::numeric / $1)::int - 1) k
         where k * $1::int + b.idx < $2::int
      ), drawn as (
        select c.*,
               floor(((new_idx * 2654435761::bigint + 12345) % 4294967296 / 4294967296.0) ^ 2 * ${ORGANIZATIONS})::int as new_org_n,
               floor((new_idx * 40503::bigint + 977) % 65536 / 65536.0 * ${OPERATORS})::int as new_op_n
          from copies c
      )
      select id as old_id, 'ID' || (1000000 + new_idx) as new_id, new_idx,
             initiator_name as old_name,
             split_part(initiator_name, ' ', 1) || ' ' || chr(1040 + new_idx % 28) || '. ' || new_idx as new_name,
             initiator_email as old_email, 'user' || new_idx % 50000 || '@org' || new_org_n || '.ru' as new_email,
             organization as old_org_name,
             'ГБУ «' || ($3::text[])[1 + new_org_n % 5] || ' центр ' || new_org_n || '»' as new_org_name,
             'Организация ' || ($3::text[])[1 + org % 5] || ' ' || org || '.' as old_org_line,
             'Организация ' || ($3::text[])[1 + new_org_n % 5] || ' ' || new_org_n || '.' as new_org_line,
             organization_id as old_org, 'org-' || new_org_n as new_org,
             op as old_op, op_name as old_op_name, case when op is null then null else 'op' || lpad(new_op_n::text, 2, '0') end as new_op,
             case when op is null then null
                  else ($4::text[])[1 + new_op_n % ${surnames.length}] || ' ' || chr(1040 + new_op_n % 28) || '.' end as new_op_name,
             '"id": "' || op || '", "kind": "operator", "name": "' || op_name || '"' as old_op_json,
             '"id": "op' || lpad(new_op_n::text, 2, '0') || '", "kind": "operator", "name": "'
               || ($4::text[])[1 + new_op_n % ${surnames.length}] || ' ' || chr(1040 + new_op_n % 28) || '."' as new_op_json
        from drawn`,
      [base, count, adjectives, surnames],
    );
    await client.query(`create index on seed_copies (old_id)`);
    await client.query(`create unlogged table seed_base as select ${TICKET_COLUMNS} from tickets`);
    await client.query(`alter table seed_base add primary key (id)`);
    await client.query(`truncate tickets`);
    await client.query(`analyze seed_copies`);
    const { rows } = await client.query<{ max: string }>(`select coalesce(max(id), 0) as max from inbox`);
    inboxStep = Number(rows[0]!.max);
  } finally {
    client.release();
  }
  const statements: Record<string, string> = {
    // Every ticket written again in the order it was received, as a desk's table grows: the queue's
    // head (the recent, open tickets) ends up together at the table's end, not spread over it.
    tickets: `
        insert into tickets (${TICKET_COLUMNS})
        select * from (
          select ${TICKET_COLUMNS} from seed_base
          union all
          select m.new_id, t.regulation, t.regulation_version, t.type, t.status, t.status_reason, t.line, t.channel,
                 case when t.assignee_id = m.old_op then m.new_op else t.assignee_id end,
                 case when t.assignee_id = m.old_op then m.new_op_name else t.assignee_name end,
                 m.new_org_name, m.new_org, m.new_name, m.new_email, t.subject, d.description,
                 t.received_at, t.registered_at, t.outcome_at, t.sla_due_at, t.sla_breached, t.sla_paused,
                 t.resolution_minutes, t.paused_minutes, t.awaiting_operator, t.obscene, t.archived, t.seq,
                 ${remap('t.state::text')}::jsonb, ${SEARCH('t.subject', 'd.description', 'w.words')}, t.updated_at
            from seed_copies m join seed_base t on t.id = m.old_id left join seed_words w on w.id = t.id
            cross join lateral (select replace(t.description, m.old_org_line, m.new_org_line) as description) d
        ) s
        order by received_at, id`,
    ticket_events: `
        insert into ticket_events (ticket_id, seq, type, at, actor, event)
        select m.new_id, e.seq, e.type, e.at, ${remap('e.actor::text')}::jsonb, ${remap('e.event::text')}::jsonb
          from seed_copies m join ticket_events e on e.ticket_id = m.old_id
         order by m.new_id, e.seq`,
    correspondence: `
        insert into correspondence (ticket_id, direction, key, template, message_id, from_address, to_addresses,
               subject, body, status, automatic, created_at, sent_at)
        select m.new_id, c.direction, replace(c.key, m.old_id, m.new_id), c.template,
               replace(c.message_id, m.old_id, m.new_id), replace(c.from_address, m.old_email, m.new_email),
               ${remap('c.to_addresses::text')}::text[], ${remap('c.subject')}, ${remap('c.body')},
               c.status, c.automatic, c.created_at, c.sent_at
          from seed_copies m join correspondence c on c.ticket_id = m.old_id
         order by m.new_id, c.id`,
    inbox: `
        insert into inbox (id, received_at, envelope_from, envelope_to, raw, size, message_id, status, outcome,
               ticket_id, processed_at, organization_id)
        select i.id + ${inboxStep} * (m.new_idx / ${base}), i.received_at, m.new_email, i.envelope_to, r.raw,
               octet_length(r.raw), replace(i.message_id, m.old_id, m.new_id), i.status, i.outcome, m.new_id,
               i.processed_at, m.new_org
          from seed_copies m join inbox i on i.ticket_id = m.old_id
          cross join lateral (select convert_to(${remap(`convert_from(i.raw, 'UTF8')`)}, 'UTF8') as raw) r
         order by 1`,
  };
  await Promise.all(
    Object.entries(statements).map(async ([table, statement]) => {
      const c = await pool.connect();
      try {
        const t0 = performance.now();
        await c.query(`set session_replication_role = replica`);
        await c.query(`set synchronous_commit = off`);
        await c.query(`set work_mem = '256MB'`);
        const result = await c.query(statement);
        log(`  ${table}: ${result.rowCount} copies, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      } finally {
        c.release();
      }
    }),
  );
  await pool.query(`drop table seed_words, seed_copies, seed_base`);
}
