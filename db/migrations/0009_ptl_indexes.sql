-- The PTL: a referral's next booked appointment, and the periods on active monitoring (issue 9).
CREATE INDEX "appointments_booked_referral_start" ON "appointments" USING btree ("referral_id","start") WHERE state = 'booked';--> statement-breakpoint
CREATE INDEX "rtt_periods_monitoring" ON "rtt_periods" USING btree ("clock_stop") WHERE stop_code in (31, 32);