-- Correspondence becomes searchable with its ticket (issue: operator API, full-text search).
-- A ticket's mail_search accumulates the subject and body of every mail of the ticket; tickets.search
-- is generated from it together with the ticket's own subject and description.
CREATE FUNCTION correspondence_search_append() RETURNS trigger AS $$
BEGIN
  IF NEW.ticket_id IS NOT NULL THEN
    UPDATE tickets
       SET mail_search = coalesce(mail_search, ''::tsvector)
                         || to_tsvector('russian', coalesce(NEW.subject, '') || ' ' || coalesce(NEW.body, ''))
     WHERE id = NEW.ticket_id;
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER correspondence_search
  AFTER INSERT OR UPDATE OF ticket_id ON correspondence
  FOR EACH ROW EXECUTE FUNCTION correspondence_search_append();
--> statement-breakpoint
-- Mail stored before its ticket's first snapshot (e.g. the initiator's request) is picked up then.
CREATE FUNCTION tickets_mail_search_init() RETURNS trigger AS $$
BEGIN
  SELECT to_tsvector('russian', string_agg(coalesce(subject, '') || ' ' || coalesce(body, ''), ' '))
    INTO NEW.mail_search
    FROM correspondence
   WHERE ticket_id = NEW.id;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tickets_mail_search
  BEFORE INSERT ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_mail_search_init();
