-- The work lists follow the one work order (priority, breach date, age, id), no longer due time.
DROP INDEX IF EXISTS "tasks_open_order";--> statement-breakpoint
CREATE INDEX "tasks_open_order" ON "tasks" USING btree ("priority_rank","breach_date","created_at","id") WHERE status in ('open', 'claimed');
