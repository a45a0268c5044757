CREATE TABLE "calendar_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"calendar" text NOT NULL,
	"extends" text,
	"seq" integer NOT NULL,
	"first_year" integer NOT NULL,
	"last_year" integer NOT NULL,
	"years" jsonb NOT NULL,
	"decree" text,
	"origin" text,
	"loaded_by" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_versions_seq_idx" ON "calendar_versions" USING btree ("calendar","seq");--> statement-breakpoint
CREATE FUNCTION calendar_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'calendar version % is immutable: load a new version instead', OLD.id;
END
$$;--> statement-breakpoint
CREATE TRIGGER calendar_versions_immutable BEFORE UPDATE OR DELETE ON "calendar_versions"
	FOR EACH ROW EXECUTE FUNCTION calendar_versions_immutable();--> statement-breakpoint
INSERT INTO "calendar_versions" ("id","calendar","seq","first_year","last_year","years","decree","origin","loaded_by")
VALUES ('ru-2023-2027.1','ru',1,2023,2027,'{"2023":{"holidays":["2023-01-01","2023-01-02","2023-01-03","2023-01-04","2023-01-05","2023-01-06","2023-01-07","2023-01-08","2023-02-23","2023-02-24","2023-03-08","2023-05-01","2023-05-08","2023-05-09","2023-06-12","2023-11-04","2023-11-06"],"workingWeekends":[],"shortDays":["2023-02-22","2023-03-07","2023-11-03"]},"2024":{"holidays":["2024-01-01","2024-01-02","2024-01-03","2024-01-04","2024-01-05","2024-01-06","2024-01-07","2024-01-08","2024-02-23","2024-03-08","2024-04-29","2024-04-30","2024-05-01","2024-05-09","2024-05-10","2024-06-12","2024-11-04","2024-12-30","2024-12-31"],"workingWeekends":["2024-04-27","2024-11-02","2024-12-28"],"shortDays":["2024-02-22","2024-03-07","2024-05-08","2024-06-11","2024-11-02"]},"2025":{"holidays":["2025-01-01","2025-01-02","2025-01-03","2025-01-04","2025-01-05","2025-01-06","2025-01-07","2025-01-08","2025-02-23","2025-03-08","2025-05-01","2025-05-02","2025-05-08","2025-05-09","2025-06-12","2025-06-13","2025-11-03","2025-11-04","2025-12-31"],"workingWeekends":["2025-11-01"],"shortDays":["2025-03-07","2025-04-30","2025-06-11","2025-11-01"]},"2026":{"holidays":["2026-01-01","2026-01-02","2026-01-03","2026-01-04","2026-01-05","2026-01-06","2026-01-07","2026-01-08","2026-01-09","2026-02-23","2026-03-08","2026-03-09","2026-05-01","2026-05-09","2026-05-11","2026-06-12","2026-11-04","2026-12-31"],"workingWeekends":[],"shortDays":["2026-04-30","2026-05-08","2026-06-11","2026-11-03"]},"2027":{"holidays":["2027-01-01","2027-01-02","2027-01-03","2027-01-04","2027-01-05","2027-01-06","2027-01-07","2027-01-08","2027-02-22","2027-02-23","2027-03-08","2027-05-01","2027-05-03","2027-05-09","2027-05-10","2027-06-12","2027-06-14","2027-11-04","2027-11-05","2027-12-31"],"workingWeekends":["2027-02-20"],"shortDays":["2027-02-20","2027-04-30","2027-06-11","2027-11-03"]}}'::jsonb,
	'Постановления Правительства РФ от 29.08.2022 № 1505, от 10.08.2023 № 1314, от 04.10.2024 № 1335, от 24.09.2025 № 1466; 2027 — по трём согласным источникам (см. docs/calendar.md)',
	'встроенные данные reglament (domain/calendar/ruProductionCalendar.ts)','reglament');
