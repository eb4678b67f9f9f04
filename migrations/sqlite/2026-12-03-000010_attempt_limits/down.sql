ALTER TABLE two_factor_codes DROP COLUMN issued_at;
