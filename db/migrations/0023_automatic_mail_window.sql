-- The automatic-mail rate limit (no mail loops: an address gets at most MAIL_AUTOMATIC_PER_HOUR
-- automatic letters an hour) counted an address's letters from an index of addresses alone: every
-- automatic letter the address ever got, or at best every one of its last hour, was fetched before the
-- count, so each letter to a busy address cost more than the last (100,000 tickets from one address
-- stalled a desk's intake at 0.4 s a letter). One row per recipient of each automatic letter sent or
-- stored, ordered by address and time: the count reads at most the limit's rows, newest first.
CREATE TABLE "automatic_mail_recipients" (
	"address" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"letter_id" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "automatic_mail_recipients_idx" ON "automatic_mail_recipients" USING btree ("address","created_at");
--> statement-breakpoint
-- Written by the letter's own transaction whatever path marks it sent or stored, once per letter.
CREATE FUNCTION correspondence_automatic_sent() RETURNS trigger AS $$
BEGIN
  IF NEW.automatic AND NEW.direction = 'out' AND NEW.status IN ('sent', 'stored')
     AND (TG_OP = 'INSERT' OR OLD.status NOT IN ('sent', 'stored')) THEN
    INSERT INTO automatic_mail_recipients (address, created_at, letter_id)
      SELECT DISTINCT a, NEW.created_at, NEW.id FROM unnest(NEW.to_addresses) a;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER correspondence_automatic_sent
  AFTER INSERT OR UPDATE OF status ON correspondence
  FOR EACH ROW EXECUTE FUNCTION correspondence_automatic_sent();
--> statement-breakpoint
-- The limit looks back one hour: the letters of the last two are enough to start from.
INSERT INTO automatic_mail_recipients (address, created_at, letter_id)
  SELECT DISTINCT a, c.created_at, c.id
    FROM correspondence c, unnest(c.to_addresses) a
   WHERE c.automatic AND c.direction = 'out' AND c.status IN ('sent', 'stored')
     AND c.created_at > now() - interval '2 hours';
--> statement-breakpoint
DROP INDEX "correspondence_auto_idx";
