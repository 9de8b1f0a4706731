CREATE TYPE "public"."partial_booking_status" AS ENUM('waiting', 'invited', 'chased', 'in_review', 'booked', 'discharged');--> statement-breakpoint
ALTER TYPE "public"."message_template" ADD VALUE 'follow_up_discharged';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'partial_booking_review';--> statement-breakpoint
CREATE TABLE "partial_booking_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"entry_key" text NOT NULL,
	"referral_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"specialty_code" text NOT NULL,
	"clinic_id" text,
	"listed_on" date NOT NULL,
	"due_date" date NOT NULL,
	"lcad" date NOT NULL,
	"status" "partial_booking_status" DEFAULT 'waiting' NOT NULL,
	"invited_on" date,
	"chased_on" date,
	"appointment_id" text,
	"review_task_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partial_booking_entries_entry_key_unique" UNIQUE("entry_key")
);
--> statement-breakpoint
ALTER TABLE "partial_booking_entries" ADD CONSTRAINT "partial_booking_entries_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partial_booking_entries" ADD CONSTRAINT "partial_booking_entries_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partial_booking_entries" ADD CONSTRAINT "partial_booking_entries_specialty_code_specialties_code_fk" FOREIGN KEY ("specialty_code") REFERENCES "public"."specialties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partial_booking_entries" ADD CONSTRAINT "partial_booking_entries_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "partial_booking_one_open" ON "partial_booking_entries" USING btree ("referral_id") WHERE status in ('waiting', 'invited', 'chased', 'in_review');--> statement-breakpoint
CREATE INDEX "partial_booking_due" ON "partial_booking_entries" USING btree ("due_date","id");--> statement-breakpoint
CREATE INDEX "partial_booking_open_lcad" ON "partial_booking_entries" USING btree ("lcad") WHERE status in ('waiting', 'invited', 'chased', 'in_review');