ALTER TABLE "inbox" ADD COLUMN "sender_auth" jsonb;
