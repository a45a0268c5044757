-- The automatic-mail rate limit (no mail loops) counted an address's automatic letters of the last
-- hour from an index of addresses alone: every automatic letter the address ever got was fetched and
-- its time checked, so each letter to a busy address (a shared mailbox, the regional operator's) cost
-- more than the last, and one desk's intake of 100,000 tickets from one address stalled on it. Indexed
-- by address and time together (btree_gin, migration 0021), the count reads the last hour only.
DROP INDEX "correspondence_auto_idx";
--> statement-breakpoint
CREATE INDEX "correspondence_auto_idx" ON "correspondence" USING gin ("to_addresses", "created_at") WHERE "correspondence"."automatic";
