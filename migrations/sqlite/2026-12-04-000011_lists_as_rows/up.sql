-- Lists kept as comma-separated text become child rows: the database keeps them consistent
-- (an organization's removal takes its entries with it) and nothing has to split strings.

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
