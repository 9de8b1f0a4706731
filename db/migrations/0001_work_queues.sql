CREATE TYPE "public"."absence_handover" AS ENUM('cover', 'queue');--> statement-breakpoint
CREATE TYPE "public"."absence_status" AS ENUM('planned', 'active', 'ended', 'cancelled');--> statement-breakpoint
ALTER TYPE "public"."queue_kind" ADD VALUE 'ers_slot_issues';--> statement-breakpoint
ALTER TYPE "public"."queue_kind" ADD VALUE 'ward_forms';--> statement-breakpoint
ALTER TYPE "public"."queue_kind" ADD VALUE 'partial_booking';--> statement-breakpoint
ALTER TYPE "public"."queue_kind" ADD VALUE 'rebooking';--> statement-breakpoint
CREATE TABLE "absence_moves" (
	"absence_id" text NOT NULL,
	"task_id" text NOT NULL,
	"from_assignee_id" text NOT NULL,
	"to_assignee_id" text,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"returned_at" timestamp with time zone,
	CONSTRAINT "absence_moves_absence_id_task_id_pk" PRIMARY KEY("absence_id","task_id")
);
--> statement-breakpoint
CREATE TABLE "absences" (
	"id" text PRIMARY KEY NOT NULL,
	"staff_id" text NOT NULL,
	"from" date NOT NULL,
	"to" date NOT NULL,
	"handover" "absence_handover" NOT NULL,
	"cover_staff_id" text,
	"return_on_end" boolean DEFAULT true NOT NULL,
	"reason" text NOT NULL,
	"status" "absence_status" DEFAULT 'planned' NOT NULL,
	"workflow_id" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "snoozed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "snooze_reason" text;--> statement-breakpoint
ALTER TABLE "absence_moves" ADD CONSTRAINT "absence_moves_absence_id_absences_id_fk" FOREIGN KEY ("absence_id") REFERENCES "public"."absences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_moves" ADD CONSTRAINT "absence_moves_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absences" ADD CONSTRAINT "absences_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absences" ADD CONSTRAINT "absences_cover_staff_id_staff_id_fk" FOREIGN KEY ("cover_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absences" ADD CONSTRAINT "absences_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "absences_staff" ON "absences" USING btree ("staff_id","from");