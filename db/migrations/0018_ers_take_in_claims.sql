ALTER TABLE "ers_worklist_entries" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "ers_worklist_entries" ADD COLUMN "claimed_at" timestamp with time zone;