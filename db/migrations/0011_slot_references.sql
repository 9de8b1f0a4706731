-- Issue 10: a slot's appointments and offers by slot, so reconciling a template can tell a slot nothing names
-- (and delete it, checking the foreign keys) without reading every appointment and offer.
CREATE INDEX "appointments_slot" ON "appointments" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "offers_slot" ON "offers" USING btree ("slot_id");