-- The users page pages through up to 100,000 members of one organization, searched and sorted by
-- any column. Each membership therefore carries its own copy of the sort and search keys (kept in
-- step by domain::membership::refresh_directory), so every sort is an index range scan.
ALTER TABLE memberships ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN roles_label TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN last_sign_in_at TIMESTAMP;
CREATE INDEX memberships_by_email ON memberships (organization_id, email, id);
CREATE INDEX memberships_by_name ON memberships (organization_id, name_folded, id);
CREATE INDEX memberships_by_roles ON memberships (organization_id, roles_label, id);
CREATE INDEX memberships_by_status ON memberships (organization_id, status, id);
CREATE INDEX memberships_by_sign_in ON memberships (organization_id, last_sign_in_at, id);
CREATE INDEX memberships_by_created ON memberships (organization_id, created_at, id);

-- Members in the organization, kept by the code that adds and removes memberships, so the users
-- page shows "of 100,000" without counting 100,000 index entries per request.
ALTER TABLE organizations ADD COLUMN member_count BIGINT NOT NULL DEFAULT 0;
UPDATE organizations SET member_count = (
    SELECT count(*) FROM memberships WHERE memberships.organization_id = organizations.id
);

-- Every word of a member's email, name and role names, for prefix search through an index
-- (byte order, so that a range [word, word + U+10FFFF) is exactly the words starting with it).
CREATE TABLE member_search_terms (
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    membership_id BIGINT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    PRIMARY KEY (organization_id, term, membership_id)
);
CREATE INDEX member_search_terms_membership ON member_search_terms (membership_id);

-- Single-use invitation links, stored hashed.
CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY NOT NULL,
    membership_id BIGINT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    invited_by_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX invitations_membership ON invitations (membership_id);

CREATE TABLE environments (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, name_folded)
);

-- access is a bit set of ViewLogs, Read, Execute, Write (see domain::environment::EnvAccess).
CREATE TABLE role_environment_access (
    role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    environment_id BIGINT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    access INTEGER NOT NULL,
    PRIMARY KEY (role_id, environment_id)
);
CREATE INDEX role_environment_access_environment ON role_environment_access (environment_id);

-- Which columns an admin shows on a table, in their order.
CREATE TABLE column_preferences (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    column_list TEXT NOT NULL,
    PRIMARY KEY (account_id, table_name)
);
