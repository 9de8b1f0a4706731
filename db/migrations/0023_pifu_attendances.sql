CREATE TYPE "public"."attendance_setting" AS ENUM('ward', 'phone', 'video', 'other');--> statement-breakpoint
CREATE TYPE "public"."pifu_expiry_action" AS ENUM('discharge', 'review');--> statement-breakpoint
ALTER TYPE "public"."referral_state" ADD VALUE 'pifu';--> statement-breakpoint
CREATE TABLE "attendances" (
	"id" text PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"attended_on" date NOT NULL,
	"clinician_id" text NOT NULL,
	"setting" "attendance_setting" NOT NULL,
	"outcome" text NOT NULL,
	"follow_up_weeks" integer,
	"rtt_code" integer NOT NULL,
	"change_key" text NOT NULL,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendances_change_key_unique" UNIQUE("change_key")
);
--> statement-breakpoint
ALTER TABLE "pathways" ADD COLUMN "pifu_expires_on" date;--> statement-breakpoint
ALTER TABLE "pathways" ADD COLUMN "pifu_at_expiry" "pifu_expiry_action";--> statement-breakpoint
ALTER TABLE "attendances" ADD CONSTRAINT "attendances_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendances" ADD CONSTRAINT "attendances_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendances" ADD CONSTRAINT "attendances_clinician_id_staff_id_fk" FOREIGN KEY ("clinician_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendances" ADD CONSTRAINT "attendances_recorded_by_staff_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendances_referral" ON "attendances" USING btree ("referral_id","attended_on");--> statement-breakpoint
CREATE INDEX "pathways_pifu" ON "pathways" USING btree ("pifu_expires_on") WHERE pifu_expires_on is not null;