-- Issue #18 finding 7, #21: rate-limit windows shared by every replica (API keys, failed key
-- checks, sign-in attempts per address and per login+address). One row per counter, upserted on
-- every request: UNLOGGED, so a counter costs no WAL flush (a crash forgets the windows, which only
-- gives everyone a fresh minute).
CREATE UNLOGGED TABLE "rate_windows" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"resets_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rate_windows_resets_idx" ON "rate_windows" USING btree ("resets_at");
--> statement-breakpoint
-- Issue #18 finding 11: an ended session (sign-out, disable, password change) or a revoked key is
-- announced on `principal_ended`, so every replica closes its live streams at once.
CREATE FUNCTION sessions_notify_end() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('principal_ended', 'session:' || OLD.token_hash);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER sessions_notify_end
  AFTER DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION sessions_notify_end();
--> statement-breakpoint
CREATE FUNCTION api_keys_notify_revoke() RETURNS trigger AS $$
BEGIN
  IF NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL THEN
    PERFORM pg_notify('principal_ended', 'key:' || NEW.id);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_revoke
  AFTER UPDATE OF revoked_at ON api_keys
  FOR EACH ROW EXECUTE FUNCTION api_keys_notify_revoke();
