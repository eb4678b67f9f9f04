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
SELECT DISTINCT s.id_hash, CAST(j.value AS BIGINT)
FROM sessions s, json_each('[' || s.two_factor_verified || ']') j
WHERE s.two_factor_verified <> ''
  AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = CAST(j.value AS BIGINT));
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
SELECT p.organization_id, CAST(j.key AS INTEGER), j.value
FROM organization_policies p, json_each('["' || replace(p.ip_allow_list, ',', '","') || '"]') j
WHERE p.ip_allow_list <> '';
ALTER TABLE organization_policies DROP COLUMN ip_allow_list;

CREATE TABLE policy_member_domains (
    organization_id BIGINT NOT NULL REFERENCES organization_policies(organization_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    domain TEXT NOT NULL,
    PRIMARY KEY (organization_id, position)
);
INSERT INTO policy_member_domains (organization_id, position, domain)
SELECT p.organization_id, CAST(j.key AS INTEGER), j.value
FROM organization_policies p, json_each('["' || replace(p.member_domains, ',', '","') || '"]') j
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
SELECT p.partnership_id, CAST(j.key AS INTEGER), j.value
FROM partner_profiles p, json_each('["' || replace(p.domains, ' ', '","') || '"]') j
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
SELECT c.account_id, c.table_name, CAST(j.key AS INTEGER), j.value
FROM column_preferences c, json_each('["' || replace(c.column_list, ',', '","') || '"]') j
WHERE c.column_list <> '';
DROP TABLE column_preferences;
