-- Accounts are global: one person, one email, one password, across organizations.
-- password_hash is NULL until an invited person registers.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    language TEXT,
    time_zone TEXT,
    created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP,
    last_sign_in_at TIMESTAMP
);

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    owner_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, account_id)
);
CREATE INDEX memberships_account_id ON memberships (account_id);

-- permissions is a bit set (see domain::permission); name_folded enforces case-insensitive uniqueness.
CREATE TABLE roles (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    permissions INTEGER NOT NULL,
    builtin TEXT,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, name_folded)
);

CREATE TABLE role_assignments (
    membership_id BIGINT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (membership_id, role_id)
);
CREATE INDEX role_assignments_role_id ON role_assignments (role_id);

-- The session id itself never reaches the database: only its SHA-256.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    organization_id BIGINT REFERENCES organizations(id) ON DELETE SET NULL,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    user_agent TEXT,
    ip TEXT
);
CREATE INDEX sessions_account_id ON sessions (account_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT REFERENCES organizations(id) ON DELETE CASCADE,
    actor_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    target TEXT,
    details TEXT,
    ip TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_organization_created ON audit_events (organization_id, created_at);
