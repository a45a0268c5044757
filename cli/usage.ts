/** Problems with what the user typed: reported in one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `reglament — регламенты технической поддержки как код

Usage:
  reglament start
        The whole service desk on embedded defaults (PostgreSQL, Temporal dev server, worker, API,
        SMTP intake); configured by environment variables (README).
  reglament serve
        API and SMTP intake only, against DATABASE_URL and TEMPORAL_ADDRESS (docker-compose).
  reglament keys create --role <role> --name <name> [--organization <id>] [--expires <90d|2026-12-31>]
                        [--person-id <id> --person-name <name>]
  reglament keys list | keys revoke <id>
        API keys. Roles: first_line, second_line, third_line, manager, admin, regional_operator, federal_operator.
        --organization limits the key to an existing organisation's data; list shows role, scope,
        status, creation, last use and expiry.
  reglament tickets restore <id>… | --all-missing
        Starts again the workflows of open tickets found without one (TEMPORAL_ADDRESS).
  reglament reports check [--repair] | rebuild
        Compares the aggregates behind the dashboard, the SLA report and /metrics with the tickets
        (--repair recomputes them when they differ), or recomputes them.
  reglament users create --login <login> --name <name> --role <role> [--organization <id>] [--email <e-mail>] [--password <p>]
  reglament users list | users disable <login> | users enable <login> | users reset-password <login> | users unlock <login>
        People who sign in to the console (without --password: a temporary one, changed at first sign-in);
        unlock (or reset-password) lifts the sign-in lock after repeated failed attempts.
  reglament calendar import <file.csv|file.xml|file.json> [--calendar <id>] [--decree "№ … от …"] [--source <where from>] [--dry-run]
  reglament calendar list | calendar show <year> [--calendar <id>]
        Production calendars as versioned data: the Government portal's CSV, xmlcalendar XML or the
        project's JSON, checked line by line; the difference against the current version is printed.
        --calendar ru-tatarstan: a regional calendar, the file lists only the region's own days off
        (counted on top of the federal calendar «ru»); it reaches only that region's open tickets.
  reglament sla due --regulation <primorye|epgu> (--type <type> | --hours <N> | --working-days <N>) --start <ISO>
        Deadline of a target counted from --start, in the regulation's zone.
  reglament sla worktime --regulation <id> --from <ISO> --to <ISO>
        Working minutes between two instants (an integer).
  reglament simulate [--engine pure|temporal] <scenario.json | ->
        Runs a scenario through the ticket rules with a virtual clock (pure), or through the real
        workflow on a time-skipping Temporal server (temporal: TEMPORAL_TEST_SERVER_PATH or
        TEMPORAL_ADDRESS); prints the same JSON.
  reglament simulate [--engine pure|temporal] --check <file | folder>
        Checks each scenario's "expect"; prints "N passed, N failed" (exit 1 when any failed).

Options:
  --time-zone <IANA>    override the regulation's zone (epgu default Europe/Moscow)
  --end-of-day          with --working-days: the end of the N-th working day
  -h, --help            this text

Instants are ISO 8601; without an offset they are read in the regulation's zone.
Examples: examples/README.md`;
