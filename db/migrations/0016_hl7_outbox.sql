CREATE TYPE "public"."hl7_event" AS ENUM('S12', 'S14', 'S15', 'A08');--> statement-breakpoint
CREATE TYPE "public"."hl7_status" AS ENUM('queued', 'sending', 'acknowledged', 'rejected', 'set_aside');--> statement-breakpoint
ALTER TYPE "public"."staff_notification_kind" ADD VALUE 'pas_feed';--> statement-breakpoint
CREATE TABLE "hl7_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"message_key" text NOT NULL,
	"control_number" bigserial NOT NULL,
	"patient_id" text NOT NULL,
	"patient_seq" integer NOT NULL,
	"appointment_id" text,
	"event" "hl7_event" NOT NULL,
	"content" jsonb NOT NULL,
	"status" "hl7_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"send_after" timestamp with time zone DEFAULT now() NOT NULL,
	"last_ack" text,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hl7_messages_message_key_unique" UNIQUE("message_key"),
	CONSTRAINT "hl7_messages_control_number_unique" UNIQUE("control_number")
);
--> statement-breakpoint
ALTER TABLE "hl7_messages" ADD CONSTRAINT "hl7_messages_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_messages" ADD CONSTRAINT "hl7_messages_appointment_id_appointments_id_fk" FOREIGN KEY ("appointment_id") REFERENCES "public"."appointments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "hl7_messages_patient_seq" ON "hl7_messages" USING btree ("patient_id","patient_seq");--> statement-breakpoint
CREATE INDEX "hl7_messages_pending" ON "hl7_messages" USING btree ("patient_id","patient_seq") WHERE status not in ('acknowledged', 'set_aside');