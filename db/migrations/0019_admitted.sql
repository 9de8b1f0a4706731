CREATE TYPE "public"."admission_status" AS ENUM('waiting', 'tci_booked', 'admitted', 'cancelled', 'not_treated', 'removed');--> statement-breakpoint
CREATE TYPE "public"."intended_management" AS ENUM('inpatient', 'day_case');--> statement-breakpoint
CREATE TYPE "public"."pre_op_status" AS ENUM('not_required', 'needed', 'booked', 'fit', 'fit_with_conditions', 'unfit', 'expired');--> statement-breakpoint
CREATE TYPE "public"."surgical_priority" AS ENUM('P1a', 'P1b', 'P2', 'P3', 'P4');--> statement-breakpoint
CREATE TYPE "public"."tci_channel" AS ENUM('phone', 'letter', 'email', 'in_person');--> statement-breakpoint
CREATE TYPE "public"."tci_offer_status" AS ENUM('offered', 'accepted', 'declined', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."theatre_session_kind" AS ENUM('am', 'pm', 'all_day');--> statement-breakpoint
ALTER TYPE "public"."queue_kind" ADD VALUE 'admitted_booking';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'book_pre_op';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'pre_op_review';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'book_tci';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'tci_clinical_review';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'rebook_cancelled_operation';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'offer_stand_by';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'bed_management';--> statement-breakpoint
CREATE TABLE "admissions" (
	"id" text PRIMARY KEY NOT NULL,
	"admission_key" text NOT NULL,
	"referral_id" text NOT NULL,
	"specialty_code" text NOT NULL,
	"procedure" text NOT NULL,
	"intended_management" "intended_management" NOT NULL,
	"surgical_priority" "surgical_priority" NOT NULL,
	"consultant_id" text NOT NULL,
	"decided_on" date NOT NULL,
	"decided_by" text,
	"note_id" text,
	"target_date" date NOT NULL,
	"status" "admission_status" DEFAULT 'waiting' NOT NULL,
	"pre_op_required" boolean NOT NULL,
	"pre_op_status" "pre_op_status" NOT NULL,
	"pre_op_date" date,
	"pre_op_assessed_on" date,
	"pre_op_valid_until" date,
	"pre_op_conditions" text,
	"estimated_minutes" integer DEFAULT 60 NOT NULL,
	"tci_offer_id" text,
	"tci_date" date,
	"theatre_session_id" text,
	"ward" text,
	"stand_by" boolean DEFAULT false NOT NULL,
	"stand_by_notice_hours" integer,
	"declined_reasonable_offers" integer DEFAULT 0 NOT NULL,
	"admitted_on" date,
	"procedure_done" boolean,
	"diagnostic_only" boolean,
	"not_treated_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admissions_admission_key_unique" UNIQUE("admission_key")
);
--> statement-breakpoint
CREATE TABLE "tci_offers" (
	"id" text PRIMARY KEY NOT NULL,
	"offer_key" text,
	"admission_id" text NOT NULL,
	"referral_id" text NOT NULL,
	"admission_date" date NOT NULL,
	"theatre_session_id" text,
	"minutes_held" integer DEFAULT 0 NOT NULL,
	"ward" text NOT NULL,
	"offered_on" date NOT NULL,
	"channel" "tci_channel" NOT NULL,
	"notice_days" integer NOT NULL,
	"reasonable" boolean NOT NULL,
	"status" "tci_offer_status" DEFAULT 'offered' NOT NULL,
	"decline_reason" text,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tci_offers_offer_key_unique" UNIQUE("offer_key")
);
--> statement-breakpoint
CREATE TABLE "theatre_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"list_name" text NOT NULL,
	"specialty_code" text NOT NULL,
	"surgeon_id" text NOT NULL,
	"date" date NOT NULL,
	"session" "theatre_session_kind" NOT NULL,
	"minutes_available" integer NOT NULL,
	"minutes_booked" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "theatre_sessions_not_overbooked" CHECK ("theatre_sessions"."minutes_booked" >= 0 and "theatre_sessions"."minutes_booked" <= "theatre_sessions"."minutes_available")
);
--> statement-breakpoint
ALTER TABLE "admissions" ADD CONSTRAINT "admissions_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admissions" ADD CONSTRAINT "admissions_specialty_code_specialties_code_fk" FOREIGN KEY ("specialty_code") REFERENCES "public"."specialties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admissions" ADD CONSTRAINT "admissions_consultant_id_staff_id_fk" FOREIGN KEY ("consultant_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admissions" ADD CONSTRAINT "admissions_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admissions" ADD CONSTRAINT "admissions_theatre_session_id_theatre_sessions_id_fk" FOREIGN KEY ("theatre_session_id") REFERENCES "public"."theatre_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tci_offers" ADD CONSTRAINT "tci_offers_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "public"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tci_offers" ADD CONSTRAINT "tci_offers_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tci_offers" ADD CONSTRAINT "tci_offers_theatre_session_id_theatre_sessions_id_fk" FOREIGN KEY ("theatre_session_id") REFERENCES "public"."theatre_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tci_offers" ADD CONSTRAINT "tci_offers_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tci_offers" ADD CONSTRAINT "tci_offers_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "theatre_sessions" ADD CONSTRAINT "theatre_sessions_specialty_code_specialties_code_fk" FOREIGN KEY ("specialty_code") REFERENCES "public"."specialties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "theatre_sessions" ADD CONSTRAINT "theatre_sessions_surgeon_id_staff_id_fk" FOREIGN KEY ("surgeon_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "theatre_sessions" ADD CONSTRAINT "theatre_sessions_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admissions_referral" ON "admissions" USING btree ("referral_id");--> statement-breakpoint
CREATE UNIQUE INDEX "admissions_one_open" ON "admissions" USING btree ("referral_id") WHERE status in ('waiting', 'tci_booked', 'cancelled');--> statement-breakpoint
CREATE INDEX "admissions_open_order" ON "admissions" USING btree ("surgical_priority","target_date","id") WHERE status in ('waiting', 'tci_booked', 'cancelled');--> statement-breakpoint
CREATE INDEX "admissions_specialty" ON "admissions" USING btree ("specialty_code","status");--> statement-breakpoint
CREATE INDEX "admissions_stand_by" ON "admissions" USING btree ("surgical_priority","target_date") WHERE stand_by;--> statement-breakpoint
CREATE INDEX "admissions_session" ON "admissions" USING btree ("theatre_session_id");--> statement-breakpoint
CREATE INDEX "tci_offers_admission" ON "tci_offers" USING btree ("admission_id","created_at");--> statement-breakpoint
CREATE INDEX "tci_offers_referral" ON "tci_offers" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "tci_offers_session" ON "tci_offers" USING btree ("theatre_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tci_offers_one_open" ON "tci_offers" USING btree ("admission_id") WHERE status = 'offered';--> statement-breakpoint
CREATE INDEX "theatre_sessions_specialty_date" ON "theatre_sessions" USING btree ("specialty_code","date");--> statement-breakpoint
CREATE INDEX "theatre_sessions_date" ON "theatre_sessions" USING btree ("date");