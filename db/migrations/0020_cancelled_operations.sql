CREATE TYPE "public"."cancelled_operation_status" AS ENUM('open', 'rebooked', 'breached');--> statement-breakpoint
CREATE TABLE "cancelled_operations" (
	"id" text PRIMARY KEY NOT NULL,
	"admission_id" text NOT NULL,
	"referral_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"tci_offer_id" text NOT NULL,
	"theatre_session_id" text,
	"specialty_code" text NOT NULL,
	"priority" "referral_priority" NOT NULL,
	"operation_date" date NOT NULL,
	"cancelled_on" date NOT NULL,
	"reason" text NOT NULL,
	"rebook_by" date NOT NULL,
	"status" "cancelled_operation_status" DEFAULT 'open' NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"rebooked_on" date,
	"rebooked_for" date,
	"rebooked_tci_offer_id" text,
	"breached_on" date,
	"rebook_task_id" text,
	"stand_by_task_id" text,
	"workflow_id" text NOT NULL,
	"cancelled_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cancelled_operations_tci_offer_id_unique" UNIQUE("tci_offer_id")
);
--> statement-breakpoint
CREATE TABLE "wards" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"elective_beds" integer NOT NULL,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wards_elective_beds" CHECK ("wards"."elective_beds" >= 0)
);
--> statement-breakpoint
ALTER TABLE "cancelled_operations" ADD CONSTRAINT "cancelled_operations_admission_id_admissions_id_fk" FOREIGN KEY ("admission_id") REFERENCES "public"."admissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancelled_operations" ADD CONSTRAINT "cancelled_operations_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancelled_operations" ADD CONSTRAINT "cancelled_operations_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancelled_operations" ADD CONSTRAINT "cancelled_operations_tci_offer_id_tci_offers_id_fk" FOREIGN KEY ("tci_offer_id") REFERENCES "public"."tci_offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancelled_operations" ADD CONSTRAINT "cancelled_operations_theatre_session_id_theatre_sessions_id_fk" FOREIGN KEY ("theatre_session_id") REFERENCES "public"."theatre_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancelled_operations" ADD CONSTRAINT "cancelled_operations_cancelled_by_staff_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wards" ADD CONSTRAINT "wards_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cancelled_operations_cancelled_on" ON "cancelled_operations" USING btree ("cancelled_on");--> statement-breakpoint
CREATE INDEX "cancelled_operations_admission" ON "cancelled_operations" USING btree ("admission_id");--> statement-breakpoint
CREATE INDEX "cancelled_operations_open" ON "cancelled_operations" USING btree ("rebook_by") WHERE status = 'open';