ALTER TYPE "public"."clinical_review_reason" ADD VALUE 'ward_form_interval';--> statement-breakpoint
CREATE TABLE "ward_forms" (
	"id" text PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"ward" text NOT NULL,
	"discharged_on" date NOT NULL,
	"specialty_code" text NOT NULL,
	"clinician_id" text NOT NULL,
	"follow_up_within_weeks" integer NOT NULL,
	"book_by" date NOT NULL,
	"tests_before" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"note_id" text,
	"interval_met" boolean NOT NULL,
	"task_id" text,
	"received_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ward_forms_referral_id_unique" UNIQUE("referral_id")
);
--> statement-breakpoint
ALTER TABLE "ward_forms" ADD CONSTRAINT "ward_forms_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ward_forms" ADD CONSTRAINT "ward_forms_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ward_forms" ADD CONSTRAINT "ward_forms_specialty_code_specialties_code_fk" FOREIGN KEY ("specialty_code") REFERENCES "public"."specialties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ward_forms" ADD CONSTRAINT "ward_forms_clinician_id_staff_id_fk" FOREIGN KEY ("clinician_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ward_forms" ADD CONSTRAINT "ward_forms_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ward_forms_received" ON "ward_forms" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "ward_forms_patient" ON "ward_forms" USING btree ("patient_id");