CREATE TYPE "public"."ais_need" AS ENUM('large_print', 'easy_read', 'braille', 'bsl_interpreter', 'audio');--> statement-breakpoint
CREATE TYPE "public"."communication_status" AS ENUM('queued', 'sending', 'delivered', 'permanent_failure', 'technical_failure', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."contact_channel" AS ENUM('phone', 'letter', 'email', 'sms', 'in_person');--> statement-breakpoint
CREATE TYPE "public"."contact_direction" AS ENUM('inbound', 'outbound');--> statement-breakpoint
CREATE TYPE "public"."contact_outcome" AS ENUM('resolved', 'information_given', 'call_back', 'message_left', 'no_answer', 'details_updated');--> statement-breakpoint
CREATE TYPE "public"."interpreter_status" AS ENUM('not_needed', 'needed', 'booked');--> statement-breakpoint
CREATE TYPE "public"."letter_format" AS ENUM('standard', 'large_print', 'easy_read');--> statement-breakpoint
CREATE TYPE "public"."message_recipient" AS ENUM('patient', 'carer', 'referrer');--> statement-breakpoint
CREATE TYPE "public"."message_template" AS ENUM('appointment_confirmation', 'appointment_reminder', 'appointment_changed', 'appointment_cancelled', 'referral_returned', 'partial_booking_invitation');--> statement-breakpoint
CREATE TYPE "public"."staff_notification_kind" AS ENUM('escalation', 'assignment');--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'book_interpreter';--> statement-breakpoint
ALTER TYPE "public"."task_type" ADD VALUE 'contact_patient';--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"referral_id" text,
	"direction" "contact_direction" NOT NULL,
	"channel" "contact_channel" NOT NULL,
	"summary" text NOT NULL,
	"outcome" "contact_outcome" NOT NULL,
	"staff_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"notification_key" text NOT NULL,
	"staff_id" text NOT NULL,
	"kind" "staff_notification_kind" NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"task_id" text,
	"referral_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "staff_notifications_notification_key_unique" UNIQUE("notification_key")
);
--> statement-breakpoint
ALTER TABLE "communications" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "communications" ALTER COLUMN "status" SET DATA TYPE "public"."communication_status" USING "status"::"public"."communication_status";--> statement-breakpoint
ALTER TABLE "communications" ALTER COLUMN "status" SET DEFAULT 'queued'::"public"."communication_status";--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "interpreter_status" "interpreter_status" DEFAULT 'not_needed' NOT NULL;--> statement-breakpoint
ALTER TABLE "appointments" ADD COLUMN "interpreter_note" text;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "appointment_id" text;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "recipient" "message_recipient" DEFAULT 'patient' NOT NULL;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "template" "message_template";--> statement-breakpoint
-- Letters written before issue 12 named their template in "kind".
UPDATE "communications" SET "template" = "kind"::"public"."message_template";--> statement-breakpoint
ALTER TABLE "communications" ALTER COLUMN "template" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "format" "letter_format" DEFAULT 'standard' NOT NULL;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "personalisation" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "send_after" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "notify_id" text;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "communications" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "address_lines" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "channels" "comm_channel"[] DEFAULT '{letter}'::comm_channel[] NOT NULL;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "ais_needs" "ais_need"[] DEFAULT '{}'::ais_need[] NOT NULL;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "interpreter_language" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "carer" jsonb;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_notifications" ADD CONSTRAINT "staff_notifications_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_notifications" ADD CONSTRAINT "staff_notifications_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_notifications" ADD CONSTRAINT "staff_notifications_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contacts_patient" ON "contacts" USING btree ("patient_id","at");--> statement-breakpoint
CREATE INDEX "staff_notifications_unread" ON "staff_notifications" USING btree ("staff_id","created_at") WHERE read_at is null;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "communications_due" ON "communications" USING btree ("send_after") WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX "communications_in_flight" ON "communications" USING btree ("updated_at") WHERE status = 'sending';--> statement-breakpoint
CREATE INDEX "communications_patient" ON "communications" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "communications_referral" ON "communications" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "communications_appointment" ON "communications" USING btree ("appointment_id");--> statement-breakpoint
ALTER TABLE "communications" DROP COLUMN "kind";