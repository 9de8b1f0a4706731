CREATE TYPE "public"."communication_method" AS ENUM('letter', 'sms', 'email', 'phone', 'in_person');--> statement-breakpoint
CREATE TYPE "public"."fds_outcome" AS ENUM('cancer_confirmed', 'cancer_ruled_out');--> statement-breakpoint
CREATE TYPE "public"."rtt_event_cause" AS ENUM('referral', 'triage', 'outcome', 'dna_review', 'administrative', 'validation', 'monitoring_review', 'admission');--> statement-breakpoint
CREATE TYPE "public"."rtt_period_status" AS ENUM('running', 'stopped', 'nullified', 'transferred');--> statement-breakpoint
ALTER TYPE "public"."queue_kind" ADD VALUE 'validation';--> statement-breakpoint
ALTER TYPE "public"."referral_state" ADD VALUE 'awaiting_admission';--> statement-breakpoint
ALTER TYPE "public"."referral_state" ADD VALUE 'active_monitoring';--> statement-breakpoint
ALTER TYPE "public"."referral_state" ADD VALUE 'treated';--> statement-breakpoint
ALTER TYPE "public"."referral_state" ADD VALUE 'declined_treatment';--> statement-breakpoint
ALTER TYPE "public"."referral_state" ADD VALUE 'transferred';--> statement-breakpoint
ALTER TYPE "public"."referral_state" ADD VALUE 'died';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'validate_pathway';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'active_monitoring_review';--> statement-breakpoint
CREATE TABLE "rtt_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"period_no" integer NOT NULL,
	"code" integer NOT NULL,
	"event_date" date NOT NULL,
	"cause" "rtt_event_cause" NOT NULL,
	"appointment_id" text,
	"task_id" text,
	"outcome" text,
	"actor_id" text,
	"rule" text NOT NULL,
	"policy_version" text NOT NULL,
	"note_id" text,
	"change_key" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rtt_periods" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"period_no" integer NOT NULL,
	"status" "rtt_period_status" NOT NULL,
	"clock_start" date NOT NULL,
	"start_code" integer NOT NULL,
	"start_known" boolean DEFAULT true NOT NULL,
	"ptl_order_start" date NOT NULL,
	"clock_stop" date,
	"stop_code" integer,
	"stop_admitted" boolean DEFAULT false NOT NULL,
	"decision_to_admit_on" date,
	"last_code" integer NOT NULL,
	"last_event_on" date NOT NULL
);
--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "communicated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "communicated_by" "communication_method";--> statement-breakpoint
ALTER TABLE "pathways" ADD COLUMN "cancer_clock_start" date;--> statement-breakpoint
ALTER TABLE "pathways" ADD COLUMN "fds_outcome" "fds_outcome";--> statement-breakpoint
ALTER TABLE "pathways" ADD COLUMN "fds_communicated_on" date;--> statement-breakpoint
ALTER TABLE "pathways" ADD COLUMN "last_validated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pathways" ADD COLUMN "last_validated_by" text;--> statement-breakpoint
ALTER TABLE "rtt_events" ADD CONSTRAINT "rtt_events_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rtt_events" ADD CONSTRAINT "rtt_events_actor_id_staff_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rtt_periods" ADD CONSTRAINT "rtt_periods_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rtt_events_referral" ON "rtt_events" USING btree ("referral_id","id");--> statement-breakpoint
CREATE INDEX "rtt_events_date" ON "rtt_events" USING btree ("event_date");--> statement-breakpoint
CREATE UNIQUE INDEX "rtt_periods_referral_period" ON "rtt_periods" USING btree ("referral_id","period_no");--> statement-breakpoint
CREATE INDEX "rtt_periods_open" ON "rtt_periods" USING btree ("ptl_order_start","id") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "rtt_periods_start" ON "rtt_periods" USING btree ("clock_start");--> statement-breakpoint
CREATE INDEX "rtt_periods_stop" ON "rtt_periods" USING btree ("clock_stop");--> statement-breakpoint
ALTER TABLE "pathways" ADD CONSTRAINT "pathways_last_validated_by_staff_id_fk" FOREIGN KEY ("last_validated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Pathways recorded before RTT periods: one period each, from the clock the pathway row holds.
INSERT INTO "rtt_periods" ("referral_id", "period_no", "status", "clock_start", "start_code", "ptl_order_start", "clock_stop", "stop_code", "last_code", "last_event_on")
SELECT "referral_id", 1, "rtt_status"::text::"rtt_period_status", "clock_start", 10, "clock_start",
  CASE WHEN "rtt_status" = 'running' THEN NULL ELSE "clock_stop" END,
  CASE WHEN "rtt_status" = 'running' THEN NULL ELSE "last_rtt_code" END,
  "last_rtt_code", coalesce("clock_stop", "clock_start")
FROM "pathways" ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "rtt_events" ("referral_id", "period_no", "code", "event_date", "cause", "rule", "policy_version")
SELECT "referral_id", 1, 10, "clock_start", 'referral', 'RTT-Rec25 §2–3 rules 1–2: the clock starts on the date the provider receives the referral', 'recorded before issue 9'
FROM "pathways";--> statement-breakpoint
INSERT INTO "rtt_events" ("referral_id", "period_no", "code", "event_date", "cause", "rule", "policy_version")
SELECT "referral_id", 1, "last_rtt_code", coalesce("clock_stop", "clock_start"), 'outcome', 'recorded before issue 9: the clock as the pathway held it', 'recorded before issue 9'
FROM "pathways" WHERE "last_rtt_code" <> 10;--> statement-breakpoint
UPDATE "pathways" SET "cancer_clock_start" = "clock_start" WHERE "fds_target" IS NOT NULL;
