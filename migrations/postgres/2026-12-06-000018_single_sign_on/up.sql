-- Single sign-on (OpenID Connect) per organization: the provider's settings (the client secret
-- sealed with the server's secret key), whether it is on, and the last successful test of the
-- settings (a fingerprint of what was tested, so a change needs a new test before enabling).
CREATE TABLE sso_connections (
    organization_id BIGINT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    issuer_url TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret_sealed TEXT NOT NULL,
    email_claim TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT FALSE,
    tested_fingerprint TEXT,
    tested_at TIMESTAMP,
    end_session_url TEXT,
    updated_at TIMESTAMP NOT NULL
);

-- Members who keep signing in with their Gatehouse password under SSO.
CREATE TABLE sso_bypass (
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    PRIMARY KEY (organization_id, email)
);

-- A round trip to the provider under way: found by the hash of its state, used once. A test of
-- settings not saved yet carries them (`test_settings`, sealed); a sign-in names its account.
CREATE TABLE sso_requests (
    state_hash TEXT PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    account_id BIGINT REFERENCES accounts(id) ON DELETE CASCADE,
    test_settings TEXT,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sso_requests_expiry ON sso_requests (expires_at);
