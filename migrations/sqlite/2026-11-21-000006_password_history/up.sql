-- Hashes of an account's recent passwords, so a new one cannot repeat them.
CREATE TABLE password_history (
    id INTEGER PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX password_history_account_created ON password_history (account_id, created_at);

-- Set at sign-in when the password has expired: the session may only change it.
ALTER TABLE sessions ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT 0;
