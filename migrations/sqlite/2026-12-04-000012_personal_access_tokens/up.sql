-- Personal access tokens: a secret (kept as its SHA-256 only) that acts as its owner in one
-- organization, through the JSON API, until it expires or is revoked.
CREATE TABLE personal_access_tokens (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    can_write BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    last_used_ip TEXT,
    revoked_at TIMESTAMP,
    revoked_by_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    expiry_notice_sent_at TIMESTAMP
);
CREATE INDEX personal_access_tokens_account ON personal_access_tokens (account_id, id);
CREATE INDEX personal_access_tokens_organization ON personal_access_tokens (organization_id, account_id);
-- The expiry-notice job reads live tokens by their end.
CREATE INDEX personal_access_tokens_expiry ON personal_access_tokens (expires_at)
    WHERE revoked_at IS NULL AND expiry_notice_sent_at IS NULL;

-- The API's rate limit, shared by every instance on the database: the theoretical arrival time
-- of the generic cell rate algorithm, per token, in milliseconds since the epoch (integers make
-- the one-statement update the same on both backends).
CREATE TABLE api_rate_limits (
    subject TEXT PRIMARY KEY,
    arrival_ms BIGINT NOT NULL
);

-- Answers to POSTs that carried an Idempotency-Key, replayed when the same token retries.
CREATE TABLE api_idempotency_keys (
    token_id BIGINT NOT NULL REFERENCES personal_access_tokens(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    request_fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    location TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (token_id, idempotency_key)
);
CREATE INDEX api_idempotency_keys_created ON api_idempotency_keys (created_at);

ALTER TABLE organization_policies ADD COLUMN token_max_days INTEGER NOT NULL DEFAULT 366;
ALTER TABLE organization_policies ADD COLUMN api_requests_per_minute INTEGER NOT NULL DEFAULT 30;

-- The token a change was made with, so its audit event can name it.
ALTER TABLE audit_events ADD COLUMN actor_token_id BIGINT;
