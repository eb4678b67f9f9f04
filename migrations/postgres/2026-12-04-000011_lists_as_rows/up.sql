-- Lists kept as text (comma- or space-separated) become child rows: the database keeps them
-- consistent (an organization's removal takes its entries with it), keeps their order, and
-- nothing has to split strings.

-- The organizations whose two-factor code a session entered.
CREATE TABLE session_two_factor_verifications (
    session_hash TEXT NOT NULL REFERENCES sessions(id_hash) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    PRIMARY KEY (session_hash, organization_id)
);
CREATE INDEX session_two_factor_verifications_organization_id
    ON session_two_factor_verifications (organization_id);
INSERT INTO session_two_factor_verifications (session_hash, organization_id)
SELECT DISTINCT s.id_hash, v.id::BIGINT
FROM sessions s, unnest(string_to_array(s.two_factor_verified, ',')) AS v(id)
WHERE v.id <> '' AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = v.id::BIGINT);
ALTER TABLE sessions DROP COLUMN two_factor_verified;

-- The IP allow-list and the member email domains of an organization's policy, in the order the
-- admin typed them.
CREATE TABLE policy_allowed_addresses (
    organization_id BIGINT NOT NULL REFERENCES organization_policies(organization_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (organization_id, position)
);
INSERT INTO policy_allowed_addresses (organization_id, position, entry)
SELECT p.organization_id, (e.position - 1)::INTEGER, e.entry
FROM organization_policies p,
     unnest(string_to_array(p.ip_allow_list, ',')) WITH ORDINALITY AS e(entry, position)
WHERE p.ip_allow_list <> '';
ALTER TABLE organization_policies DROP COLUMN ip_allow_list;

CREATE TABLE policy_member_domains (
    organization_id BIGINT NOT NULL REFERENCES organization_policies(organization_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    domain TEXT NOT NULL,
    PRIMARY KEY (organization_id, position)
);
INSERT INTO policy_member_domains (organization_id, position, domain)
SELECT p.organization_id, (e.position - 1)::INTEGER, e.domain
FROM organization_policies p,
     unnest(string_to_array(p.member_domains, ',')) WITH ORDINALITY AS e(domain, position)
WHERE p.member_domains <> '';
ALTER TABLE organization_policies DROP COLUMN member_domains;

-- A registered partner's email domains, and the columns an admin shows on a table.
CREATE TABLE partner_domains (
    partnership_id BIGINT NOT NULL REFERENCES partner_profiles(partnership_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    domain TEXT NOT NULL,
    PRIMARY KEY (partnership_id, position)
);
INSERT INTO partner_domains (partnership_id, position, domain)
SELECT p.partnership_id, (e.position - 1)::INTEGER, e.domain
FROM partner_profiles p,
     unnest(string_to_array(p.domains, ' ')) WITH ORDINALITY AS e(domain, position)
WHERE p.domains <> '';
ALTER TABLE partner_profiles DROP COLUMN domains;

CREATE TABLE column_choices (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    position INTEGER NOT NULL,
    column_key TEXT NOT NULL,
    PRIMARY KEY (account_id, table_name, position)
);
INSERT INTO column_choices (account_id, table_name, position, column_key)
SELECT c.account_id, c.table_name, (e.position - 1)::INTEGER, e.column_key
FROM column_preferences c,
     unnest(string_to_array(c.column_list, ',')) WITH ORDINALITY AS e(column_key, position)
WHERE c.column_list <> '';
DROP TABLE column_preferences;
