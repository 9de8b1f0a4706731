-- Hand-written (issue 7, finding 3): the answer to a create request, kept for a day under the client's
-- Idempotency-Key so a retry after a lost answer replays it instead of creating a second record.
-- resource_id is set in the same transaction as the record it names, so even a process that dies
-- before storing its answer leaves enough for the retry to find the record.
CREATE TABLE "idempotency_keys" (
	"staff_id" text NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"body_hash" text NOT NULL,
	"response_status" integer,
	"response_type" text,
	"response_body" text,
	"resource_id" text,
	"locked_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_staff_id_key_pk" PRIMARY KEY("staff_id","key")
);
--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at" ON "idempotency_keys" USING btree ("created_at");
