-- Two-factor codes remember when they were sent, for the resend cooldown and the cap per pending
-- sign-in. Codes live ten minutes: the few in flight are dropped and their sessions get new ones.
DELETE FROM two_factor_codes;
ALTER TABLE two_factor_codes ADD COLUMN issued_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
