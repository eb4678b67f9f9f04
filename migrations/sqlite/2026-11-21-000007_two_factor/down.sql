DROP TABLE trusted_devices;
DROP TABLE two_factor_codes;
ALTER TABLE sessions DROP COLUMN two_factor_verified;
ALTER TABLE sessions DROP COLUMN two_factor_pending_org;
ALTER TABLE organization_policies DROP COLUMN two_factor_days;
ALTER TABLE organization_policies DROP COLUMN two_factor_mode;
