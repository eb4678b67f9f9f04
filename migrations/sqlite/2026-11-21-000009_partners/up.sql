-- Partners. One model for both ways in: a partnership between a client organization that grants
-- and a partner organization whose members receive. A client registers a partner company (the
-- partner organization is created for it, origin 'registration'), or a partner organization
-- issues a client access token that a client accepts (origin 'token').
--   partner_enabled: the organization may issue client tokens (My Clients).
--   kind: 'standard', or 'partner' for organizations created by a registration (fixed roles).
--   deactivated_at: a deactivated organization gives its members nothing, for good.
ALTER TABLE organizations ADD COLUMN partner_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE organizations ADD COLUMN kind TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE organizations ADD COLUMN deactivated_at TIMESTAMP;

-- status: pending (token not yet accepted, or partner admin not yet registered), active,
-- suspended (by the client), deactivated (token switched off by the partner, reversible),
-- ended (irreversible). client_organization_id is NULL while a token waits for its client.
CREATE TABLE partnerships (
    id INTEGER PRIMARY KEY,
    partner_organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    client_organization_id BIGINT REFERENCES organizations(id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    status TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    token_hint TEXT,
    created_by_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    activated_at TIMESTAMP,
    ended_at TIMESTAMP
);
CREATE UNIQUE INDEX partnerships_pair ON partnerships (partner_organization_id, client_organization_id);
CREATE INDEX partnerships_client ON partnerships (client_organization_id, status);

-- The client's rules: which of its roles the partner may hand out.
CREATE TABLE partnership_roles (
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (partnership_id, role_id)
);
CREATE INDEX partnership_roles_role ON partnership_roles (role_id);

-- Partner users authorized in the client, with client roles (effective only while the role is
-- still among the rules, the partnership active and the membership in the partner active).
CREATE TABLE partnership_grants (
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    membership_id BIGINT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (partnership_id, membership_id, role_id)
);
CREATE INDEX partnership_grants_membership ON partnership_grants (membership_id);
CREATE INDEX partnership_grants_role ON partnership_grants (role_id);

-- Catalog entries of the client linked to a partner: its members see them in the API portal.
CREATE TABLE partnership_apis (
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    api_id BIGINT NOT NULL REFERENCES apis(id) ON DELETE CASCADE,
    PRIMARY KEY (partnership_id, api_id)
);
CREATE INDEX partnership_apis_api ON partnership_apis (api_id);

CREATE TABLE partnership_api_groups (
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    api_group_id BIGINT NOT NULL REFERENCES api_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (partnership_id, api_group_id)
);
CREATE INDEX partnership_api_groups_group ON partnership_api_groups (api_group_id);

-- What a client registered about a partner company. domains: lower-case, space separated.
-- The partner admin is the accepted one; pending_admin_account_id waits for its invitation.
CREATE TABLE partner_profiles (
    partnership_id BIGINT PRIMARY KEY NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    logo BLOB,
    logo_content_type TEXT,
    domains TEXT NOT NULL,
    admin_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    pending_admin_account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The registration wizard's draft, so nothing typed (or uploaded) is lost between steps.
CREATE TABLE partner_drafts (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    logo BLOB,
    logo_content_type TEXT,
    domains TEXT NOT NULL,
    admin_first_name TEXT NOT NULL,
    admin_last_name TEXT NOT NULL,
    admin_email TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX partner_drafts_owner ON partner_drafts (organization_id, account_id);
