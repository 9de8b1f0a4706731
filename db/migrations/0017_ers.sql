CREATE TYPE "public"."ers_document_kind" AS ENUM('attachment', 'clinical_summary');--> statement-breakpoint
CREATE TYPE "public"."ers_outcome_action" AS ENUM('accept', 'return_to_referrer');--> statement-breakpoint
CREATE TYPE "public"."ers_outcome_status" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
ALTER TYPE "public"."staff_notification_kind" ADD VALUE 'ers_outcome';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'resolve_slot_issue';--> statement-breakpoint
CREATE TABLE "ers_documents" (
	"id" text PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"kind" "ers_document_kind" NOT NULL,
	"source_id" text NOT NULL,
	"from_ubrn" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ers_outcomes" (
	"id" text PRIMARY KEY NOT NULL,
	"change_key" text NOT NULL,
	"referral_id" text NOT NULL,
	"action" "ers_outcome_action" NOT NULL,
	"decided_by" text,
	"comments" text NOT NULL,
	"status" "ers_outcome_status" DEFAULT 'pending' NOT NULL,
	"call" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ers_outcomes_change_key_unique" UNIQUE("change_key")
);
--> statement-breakpoint
CREATE TABLE "ers_referrals" (
	"referral_id" text PRIMARY KEY NOT NULL,
	"related_ubrns" text[] DEFAULT '{}'::text[] NOT NULL,
	"version" text NOT NULL,
	"worklist" text NOT NULL,
	"ers_state" text NOT NULL,
	"service_id" text NOT NULL,
	"triage" boolean DEFAULT false NOT NULL,
	"ers_appointment_id" text,
	"ers_appointment_start" timestamp with time zone,
	"ers_appointment_status" text,
	"documents_fetched_at" timestamp with time zone,
	"last_error" text,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ers_worklist_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"ubrn" text NOT NULL,
	"worklist" text NOT NULL,
	"item" jsonb NOT NULL,
	"referral_id" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"gone_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "ers_documents" ADD CONSTRAINT "ers_documents_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ers_outcomes" ADD CONSTRAINT "ers_outcomes_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ers_outcomes" ADD CONSTRAINT "ers_outcomes_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ers_referrals" ADD CONSTRAINT "ers_referrals_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ers_worklist_entries" ADD CONSTRAINT "ers_worklist_entries_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ers_documents_source" ON "ers_documents" USING btree ("referral_id","kind","from_ubrn","source_id");--> statement-breakpoint
CREATE INDEX "ers_outcomes_due" ON "ers_outcomes" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "ers_referrals_appointment" ON "ers_referrals" USING btree ("ers_appointment_id") WHERE ers_appointment_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "ers_worklist_entries_ubrn" ON "ers_worklist_entries" USING btree ("ubrn","worklist");