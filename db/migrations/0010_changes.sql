-- Changes and cancellations (issue 10): cancellations on appointments, offers, versioned clinic templates,
-- clinic session changes and the patients each one moved.
CREATE TYPE "public"."cancellation_party" AS ENUM('patient', 'hospital');--> statement-breakpoint
CREATE TYPE "public"."clinic_session" AS ENUM('am', 'pm');--> statement-breakpoint
CREATE TYPE "public"."clinical_review_reason" AS ENUM('patient_cancellations', 'declined_offers');--> statement-breakpoint
CREATE TYPE "public"."offer_status" AS ENUM('offered', 'accepted', 'declined');--> statement-breakpoint
CREATE TYPE "public"."session_change_kind" AS ENUM('cancel', 'reduce');--> statement-breakpoint
CREATE TYPE "public"."session_change_outcome" AS ENUM('moved', 'waiting_for_slot');--> statement-breakpoint
CREATE TYPE "public"."session_change_status" AS ENUM('proposed', 'running', 'completed');--> statement-breakpoint
ALTER TYPE "public"."referral_state" ADD VALUE 'awaiting_clinical_review';--> statement-breakpoint
ALTER TYPE "public"."rtt_event_cause" ADD VALUE 'clinical_review';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'rebook_appointment';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'clinical_review';--> statement-breakpoint
CREATE TABLE "clinic_session_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"session_date" date NOT NULL,
	"session" "clinic_session",
	"kind" "session_change_kind" NOT NULL,
	"slot_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text NOT NULL,
	"status" "session_change_status" NOT NULL,
	"within_notice" boolean DEFAULT false NOT NULL,
	"template_version_id" text,
	"requested_by" text,
	"confirmed_by" text,
	"workflow_id" text,
	"summary" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "clinic_template_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"version" integer NOT NULL,
	"effective_from" date NOT NULL,
	"within_notice" boolean DEFAULT false NOT NULL,
	"confirmed_by" text,
	"reconciliation" jsonb,
	"reconciled_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" text PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"slot_id" text,
	"offered_date" date NOT NULL,
	"offered_on" date NOT NULL,
	"channel" "communication_method" NOT NULL,
	"reasonable" boolean NOT NULL,
	"notice_days" integer NOT NULL,
	"status" "offer_status" DEFAULT 'offered' NOT NULL,
	"decline_note_id" text,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"appointment_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_change_patients" (
	"change_id" text NOT NULL,
	"appointment_id" text NOT NULL,
	"referral_id" text NOT NULL,
	"position" integer NOT NULL,
	"priority" "referral_priority" NOT NULL,
	"breach_date" date NOT NULL,
	"outcome" "session_change_outcome",
	"new_appointment_id" text,
	"new_slot_id" text,
	"task_id" text,
	"at_risk" boolean DEFAULT false NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "session_change_patients_change_id_appointment_id_pk" PRIMARY KEY("change_id","appointment_id")
);
--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "cancelled_by" "cancellation_party";--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "cancelled_by_staff" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "cancel_note_id" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "rebooked_appointment_id" text;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "session_change_id" text;--> statement-breakpoint
ALTER TABLE "clinic_templates" ADD COLUMN "version_id" text;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "slot_types" "slot_type"[] DEFAULT '{new,follow_up,urgent,two_week_wait}'::slot_type[] NOT NULL;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "active" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "clinic_session_changes" ADD CONSTRAINT "clinic_session_changes_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_session_changes" ADD CONSTRAINT "clinic_session_changes_template_version_id_clinic_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."clinic_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_session_changes" ADD CONSTRAINT "clinic_session_changes_requested_by_staff_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_session_changes" ADD CONSTRAINT "clinic_session_changes_confirmed_by_staff_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_template_versions" ADD CONSTRAINT "clinic_template_versions_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_template_versions" ADD CONSTRAINT "clinic_template_versions_confirmed_by_staff_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_template_versions" ADD CONSTRAINT "clinic_template_versions_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_slot_id_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_change_patients" ADD CONSTRAINT "session_change_patients_change_id_clinic_session_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."clinic_session_changes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_change_patients" ADD CONSTRAINT "session_change_patients_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_change_patients" ADD CONSTRAINT "session_change_patients_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinic_session_changes_clinic" ON "clinic_session_changes" USING btree ("clinic_id","session_date");--> statement-breakpoint
CREATE UNIQUE INDEX "clinic_template_versions_clinic_version" ON "clinic_template_versions" USING btree ("clinic_id","version");--> statement-breakpoint
CREATE INDEX "clinic_template_versions_effective" ON "clinic_template_versions" USING btree ("clinic_id","effective_from");--> statement-breakpoint
CREATE INDEX "offers_referral" ON "offers" USING btree ("referral_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "session_change_patients_referral" ON "session_change_patients" USING btree ("change_id","referral_id");--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_cancelled_by_staff_staff_id_fk" FOREIGN KEY ("cancelled_by_staff") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_templates" ADD CONSTRAINT "clinic_templates_version_id_clinic_template_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."clinic_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinic_templates_version" ON "clinic_templates" USING btree ("version_id");--> statement-breakpoint
-- Each clinic's templates so far become its version 1, effective from their earliest date.
INSERT INTO "clinic_template_versions" ("id", "clinic_id", "version", "effective_from")
SELECT 'tmplv_' || t."clinic_id", t."clinic_id", 1, min(t."effective_from") FROM "clinic_templates" t GROUP BY t."clinic_id";--> statement-breakpoint
UPDATE "clinic_templates" SET "version_id" = 'tmplv_' || "clinic_id" WHERE "version_id" IS NULL;--> statement-breakpoint
-- Cancellations recorded before issue 10 (a pathway that ended freed its appointment) were the hospital's.
UPDATE "appointments" SET "cancelled_by" = 'hospital' WHERE "state" = 'cancelled_by_hospital' AND "cancelled_by" IS NULL;--> statement-breakpoint
UPDATE "appointments" SET "cancelled_by" = 'patient' WHERE "state" = 'cancelled_by_patient' AND "cancelled_by" IS NULL;