CREATE TYPE "public"."appointment_kind" AS ENUM('new', 'follow_up');--> statement-breakpoint
CREATE TYPE "public"."appointment_state" AS ENUM('booked', 'attended', 'did_not_attend', 'cancelled_by_patient', 'cancelled_by_hospital');--> statement-breakpoint
CREATE TYPE "public"."comm_channel" AS ENUM('letter', 'sms', 'email');--> statement-breakpoint
CREATE TYPE "public"."queue_kind" AS ENUM('specialty', 'two_week_wait', 'escalation', 'capacity');--> statement-breakpoint
CREATE TYPE "public"."referral_priority" AS ENUM('two_week_wait', 'urgent', 'routine');--> statement-breakpoint
CREATE TYPE "public"."referral_source" AS ENUM('ers', 'gp_letter', 'consultant', 'ward');--> statement-breakpoint
CREATE TYPE "public"."referral_state" AS ENUM('awaiting_triage', 'awaiting_booking', 'booked', 'awaiting_follow_up', 'follow_up_booked', 'awaiting_dna_review', 'returned_to_referrer', 'discharged');--> statement-breakpoint
CREATE TYPE "public"."rtt_clock_status" AS ENUM('running', 'stopped', 'nullified');--> statement-breakpoint
CREATE TYPE "public"."slot_status" AS ENUM('free', 'booked', 'blocked');--> statement-breakpoint
CREATE TYPE "public"."slot_type" AS ENUM('new', 'follow_up', 'urgent', 'two_week_wait');--> statement-breakpoint
CREATE TYPE "public"."staff_role" AS ENUM('officer', 'team_leader', 'clinician', 'ops', 'admin');--> statement-breakpoint
CREATE TYPE "public"."task_status" AS ENUM('open', 'claimed', 'done', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."task_type" AS ENUM('triage_referral', 'book_new_appointment', 'book_follow_up', 'record_attendance', 'dna_review', 'escalation_review', 'capacity_escalation');--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" text PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"slot_id" text NOT NULL,
	"clinic_id" text NOT NULL,
	"start" timestamp with time zone NOT NULL,
	"kind" "appointment_kind" NOT NULL,
	"state" "appointment_state" DEFAULT 'booked' NOT NULL,
	"outcome" text,
	"booked_by" text,
	"booked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "clinic_templates" (
	"id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"weekday" integer NOT NULL,
	"start_time" text NOT NULL,
	"slot_minutes" integer NOT NULL,
	"slot_type" "slot_type" NOT NULL,
	"slot_count" integer NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date
);
--> statement-breakpoint
CREATE TABLE "clinics" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"specialty_code" text NOT NULL,
	"clinician_name" text NOT NULL,
	"site" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "communications" (
	"id" text PRIMARY KEY NOT NULL,
	"comm_key" text NOT NULL,
	"referral_id" text,
	"patient_id" text NOT NULL,
	"channel" "comm_channel" NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "communications_comm_key_unique" UNIQUE("comm_key")
);
--> statement-breakpoint
CREATE TABLE "pathway_changes" (
	"change_key" text PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"result" jsonb NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pathway_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"referral_id" text NOT NULL,
	"kind" text NOT NULL,
	"rtt_code" integer,
	"event_date" date NOT NULL,
	"note" text,
	"actor_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pathways" (
	"referral_id" text PRIMARY KEY NOT NULL,
	"rtt_status" "rtt_clock_status" NOT NULL,
	"clock_start" date NOT NULL,
	"clock_stop" date,
	"last_rtt_code" integer NOT NULL,
	"breach_date" date NOT NULL,
	"usc_first_seen_target" date,
	"fds_target" date,
	"cancer62_target" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patients" (
	"id" text PRIMARY KEY NOT NULL,
	"nhs_number" text NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"date_of_birth" date NOT NULL,
	"postcode" text,
	"phone" text,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patients_nhs_number_unique" UNIQUE("nhs_number")
);
--> statement-breakpoint
CREATE TABLE "queue_members" (
	"queue_id" text NOT NULL,
	"staff_id" text NOT NULL,
	CONSTRAINT "queue_members_queue_id_staff_id_pk" PRIMARY KEY("queue_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "queues" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "queue_kind" NOT NULL,
	"specialty_code" text
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"source" "referral_source" NOT NULL,
	"ubrn" text,
	"received_at" date NOT NULL,
	"specialty_code" text NOT NULL,
	"priority" "referral_priority" NOT NULL,
	"clinical_priority" "referral_priority",
	"reason" text NOT NULL,
	"state" "referral_state" DEFAULT 'awaiting_triage' NOT NULL,
	"clinic_id" text,
	"workflow_id" text NOT NULL,
	"pathway_started" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referrals_ubrn_unique" UNIQUE("ubrn")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"staff_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slots" (
	"id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"start" timestamp with time zone NOT NULL,
	"end" timestamp with time zone NOT NULL,
	"type" "slot_type" NOT NULL,
	"status" "slot_status" DEFAULT 'free' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "specialties" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "staff_role" NOT NULL,
	"password_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"task_key" text NOT NULL,
	"type" "task_type" NOT NULL,
	"title" text NOT NULL,
	"status" "task_status" DEFAULT 'open' NOT NULL,
	"priority" "referral_priority" NOT NULL,
	"priority_rank" integer NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"escalation_level" integer DEFAULT 0 NOT NULL,
	"queue_id" text NOT NULL,
	"assignee_id" text,
	"workflow_id" text NOT NULL,
	"referral_id" text,
	"patient_id" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outcome" jsonb,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"completed_by" text,
	CONSTRAINT "tasks_task_key_unique" UNIQUE("task_key")
);
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_slot_id_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."slots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_booked_by_staff_id_fk" FOREIGN KEY ("booked_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_templates" ADD CONSTRAINT "clinic_templates_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinics" ADD CONSTRAINT "clinics_specialty_code_specialties_code_fk" FOREIGN KEY ("specialty_code") REFERENCES "public"."specialties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "communications" ADD CONSTRAINT "communications_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_events" ADD CONSTRAINT "pathway_events_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_events" ADD CONSTRAINT "pathway_events_actor_id_staff_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathways" ADD CONSTRAINT "pathways_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_members" ADD CONSTRAINT "queue_members_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_members" ADD CONSTRAINT "queue_members_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queues" ADD CONSTRAINT "queues_specialty_code_specialties_code_fk" FOREIGN KEY ("specialty_code") REFERENCES "public"."specialties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_specialty_code_specialties_code_fk" FOREIGN KEY ("specialty_code") REFERENCES "public"."specialties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slots" ADD CONSTRAINT "slots_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_queue_id_queues_id_fk" FOREIGN KEY ("queue_id") REFERENCES "public"."queues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_staff_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_completed_by_staff_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_one_per_slot" ON "appointments" USING btree ("slot_id") WHERE state = 'booked';--> statement-breakpoint
CREATE INDEX "appointments_referral" ON "appointments" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "audit_entity" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "pathway_events_referral" ON "pathway_events" USING btree ("referral_id","id");--> statement-breakpoint
CREATE INDEX "patients_family_name" ON "patients" USING btree ("family_name");--> statement-breakpoint
CREATE INDEX "queue_members_staff" ON "queue_members" USING btree ("staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "queues_kind_specialty" ON "queues" USING btree ("kind",coalesce("specialty_code", ''));--> statement-breakpoint
CREATE INDEX "referrals_state" ON "referrals" USING btree ("state");--> statement-breakpoint
CREATE INDEX "referrals_patient" ON "referrals" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "referrals_received" ON "referrals" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "slots_clinic_start" ON "slots" USING btree ("clinic_id","start");--> statement-breakpoint
CREATE INDEX "slots_free" ON "slots" USING btree ("clinic_id","type","start") WHERE status = 'free';--> statement-breakpoint
CREATE INDEX "tasks_open_queue" ON "tasks" USING btree ("queue_id","priority_rank","due_at") WHERE status in ('open','claimed');--> statement-breakpoint
CREATE INDEX "tasks_open_assignee" ON "tasks" USING btree ("assignee_id","priority_rank","due_at") WHERE status in ('open','claimed');--> statement-breakpoint
CREATE INDEX "tasks_referral" ON "tasks" USING btree ("referral_id");