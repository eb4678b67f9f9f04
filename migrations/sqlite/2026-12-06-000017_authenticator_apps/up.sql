-- Authenticator apps (TOTP): one per account, its shared secret sealed with the server's secret
-- key; `confirmed_at` is empty while the setup waits for a first code; `last_used_step` makes
-- each code usable once. Recovery codes are stored as SHA-256 (they are random, like tokens).
CREATE TABLE authenticator_apps (
    account_id BIGINT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    secret_sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    last_used_step BIGINT
);

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_account ON recovery_codes (account_id);

-- Whether a member with an authenticator app may still ask for an emailed code instead.
ALTER TABLE organization_policies ADD COLUMN two_factor_email_fallback BOOLEAN NOT NULL DEFAULT TRUE;
