-- The API catalog: each API lives in one environment of its organization. Its OpenAPI document is
-- kept as uploaded (for download) and its operations are extracted once, at upload, so the portal
-- lists them without parsing the document on every view.
CREATE TABLE apis (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    environment_id BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    version TEXT NOT NULL,
    description TEXT NOT NULL,
    base_url TEXT NOT NULL,
    openapi_document TEXT,
    openapi_filename TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (environment_id, name_folded, version)
);
CREATE INDEX apis_by_organization ON apis (organization_id, environment_id, name_folded);

CREATE TABLE api_operations (
    api_id BIGINT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    summary TEXT NOT NULL,
    PRIMARY KEY (api_id, position)
);

-- Named sets of APIs, across the organization's environments.
CREATE TABLE api_groups (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, name_folded)
);

CREATE TABLE api_group_apis (
    api_group_id BIGINT NOT NULL REFERENCES api_groups(id) ON DELETE CASCADE,
    api_id BIGINT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
    PRIMARY KEY (api_group_id, api_id)
);
CREATE INDEX api_group_apis_api ON api_group_apis (api_id);

-- People outside the organization with access to its API portal only. status is requested,
-- active or suspended; Expired is not stored but read from access_expires_on, which ends at 23:59
-- in the person's time zone (the account's once registered, invited_time_zone until then).
-- email, name_folded, company_folded and search_text are copies for sorting and searching.
CREATE TABLE external_users (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    company TEXT NOT NULL,
    access_expires_on DATE,
    invited_time_zone TEXT NOT NULL,
    invited_by_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    registered_at TIMESTAMP,
    last_sign_in_at TIMESTAMP,
    email TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    company_folded TEXT NOT NULL,
    search_text TEXT NOT NULL,
    UNIQUE (organization_id, account_id)
);
CREATE INDEX external_users_account ON external_users (account_id);
CREATE INDEX external_users_by_email ON external_users (organization_id, email, id);
CREATE INDEX external_users_by_name ON external_users (organization_id, name_folded, id);
CREATE INDEX external_users_by_company ON external_users (organization_id, company_folded, id);
CREATE INDEX external_users_by_status ON external_users (organization_id, status, id);
CREATE INDEX external_users_by_expiry ON external_users (organization_id, access_expires_on, id);
CREATE INDEX external_users_by_sign_in ON external_users (organization_id, last_sign_in_at, id);
CREATE INDEX external_users_by_created ON external_users (organization_id, created_at, id);

-- Single-use registration links, stored hashed.
CREATE TABLE external_invitations (
    token_hash TEXT PRIMARY KEY NOT NULL,
    external_user_id BIGINT NOT NULL REFERENCES external_users(id) ON DELETE CASCADE,
    invited_by_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX external_invitations_user ON external_invitations (external_user_id);

-- What an external user may reach: whole groups, and single APIs.
CREATE TABLE external_user_api_groups (
    external_user_id BIGINT NOT NULL REFERENCES external_users(id) ON DELETE CASCADE,
    api_group_id BIGINT NOT NULL REFERENCES api_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (external_user_id, api_group_id)
);
CREATE INDEX external_user_api_groups_group ON external_user_api_groups (api_group_id);

CREATE TABLE external_user_apis (
    external_user_id BIGINT NOT NULL REFERENCES external_users(id) ON DELETE CASCADE,
    api_id BIGINT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
    PRIMARY KEY (external_user_id, api_id)
);
CREATE INDEX external_user_apis_api ON external_user_apis (api_id);
