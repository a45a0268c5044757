-- Live queue (issue #12): every write of a ticket's read-model row notifies listeners on the channel
-- `ticket_changed` with the ticket's id, event sequence and organisation, so the API's server-sent
-- events reach every open console without polling and each principal gets only its organisation's.
CREATE FUNCTION tickets_notify_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify(
    'ticket_changed',
    json_build_object('id', NEW.id, 'seq', NEW.seq, 'organizationId', NEW.organization_id, 'status', NEW.status)::text
  );
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER tickets_notify
  AFTER INSERT OR UPDATE OF seq ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_notify_change();
