-- Two-factor authentication: the organization's mode, the session's pending and verified
-- organizations, emailed codes (hashed) and trusted devices (hashed cookie tokens).
ALTER TABLE organization_policies ADD COLUMN two_factor_mode TEXT NOT NULL DEFAULT 'off';
ALTER TABLE organization_policies ADD COLUMN two_factor_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE sessions ADD COLUMN two_factor_pending_org BIGINT;
ALTER TABLE sessions ADD COLUMN two_factor_verified TEXT NOT NULL DEFAULT '';

CREATE TABLE two_factor_codes (
    id INTEGER PRIMARY KEY,
    session_hash TEXT NOT NULL,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX two_factor_codes_session ON two_factor_codes (session_hash, organization_id);

CREATE TABLE trusted_devices (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX trusted_devices_account ON trusted_devices (account_id, organization_id);
