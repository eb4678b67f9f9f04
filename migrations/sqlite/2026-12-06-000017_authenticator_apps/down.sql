ALTER TABLE organization_policies DROP COLUMN two_factor_email_fallback;
DROP TABLE recovery_codes;
DROP TABLE authenticator_apps;
