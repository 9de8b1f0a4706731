CREATE TYPE "public"."capacity_type" AS ENUM('new', 'follow_up', 'urgent', 'two_week_wait', 'theatre');--> statement-breakpoint
CREATE TYPE "public"."forecast_stage" AS ENUM('first_appointment', 'follow_up', 'admission');--> statement-breakpoint
CREATE TYPE "public"."forecast_target" AS ENUM('rtt', 'cancer', 'surgical');--> statement-breakpoint
CREATE TABLE "forecast_at_risk" (
	"referral_id" text PRIMARY KEY NOT NULL,
	"specialty_code" text NOT NULL,
	"priority" "referral_priority" NOT NULL,
	"stage" "forecast_stage" NOT NULL,
	"predicted_date" date,
	"breach_date" date NOT NULL,
	"target" "forecast_target" NOT NULL,
	"days_short" integer NOT NULL,
	"save_type" "capacity_type",
	"save_from_week" date,
	"save_by_week" date,
	"run_id" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forecast_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"today" date NOT NULL,
	"weeks" integer NOT NULL,
	"reason" text NOT NULL,
	"source_id" text,
	"pathways" integer NOT NULL,
	"at_risk" integer NOT NULL,
	"newly_at_risk" integer NOT NULL,
	"escalation_task_id" text,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forecast_weeks" (
	"specialty_code" text NOT NULL,
	"week_start" date NOT NULL,
	"demand" double precision NOT NULL,
	"capacity" jsonb NOT NULL,
	"bookings" integer NOT NULL,
	"breaches" integer NOT NULL,
	"run_id" text NOT NULL,
	CONSTRAINT "forecast_weeks_specialty_code_week_start_pk" PRIMARY KEY("specialty_code","week_start")
);
--> statement-breakpoint
ALTER TABLE "forecast_at_risk" ADD CONSTRAINT "forecast_at_risk_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "forecast_at_risk_breach" ON "forecast_at_risk" USING btree ("breach_date","referral_id");--> statement-breakpoint
CREATE INDEX "forecast_at_risk_specialty" ON "forecast_at_risk" USING btree ("specialty_code");--> statement-breakpoint
CREATE INDEX "forecast_runs_created" ON "forecast_runs" USING btree ("created_at");