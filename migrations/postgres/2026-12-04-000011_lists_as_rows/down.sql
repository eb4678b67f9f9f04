CREATE TABLE column_preferences (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    column_list TEXT NOT NULL,
    PRIMARY KEY (account_id, table_name)
);
INSERT INTO column_preferences (account_id, table_name, column_list)
SELECT account_id, table_name, string_agg(column_key, ',' ORDER BY position)
FROM column_choices
GROUP BY account_id, table_name;
DROP TABLE column_choices;

ALTER TABLE partner_profiles ADD COLUMN domains TEXT NOT NULL DEFAULT '';
UPDATE partner_profiles p SET domains = COALESCE((
    SELECT string_agg(d.domain, ' ' ORDER BY d.position) FROM partner_domains d
    WHERE d.partnership_id = p.partnership_id
), '');
DROP TABLE partner_domains;

ALTER TABLE organization_policies ADD COLUMN member_domains TEXT NOT NULL DEFAULT '';
UPDATE organization_policies p SET member_domains = COALESCE((
    SELECT string_agg(d.domain, ',' ORDER BY d.position) FROM policy_member_domains d
    WHERE d.organization_id = p.organization_id
), '');
DROP TABLE policy_member_domains;

ALTER TABLE organization_policies ADD COLUMN ip_allow_list TEXT NOT NULL DEFAULT '';
UPDATE organization_policies p SET ip_allow_list = COALESCE((
    SELECT string_agg(a.entry, ',' ORDER BY a.position) FROM policy_allowed_addresses a
    WHERE a.organization_id = p.organization_id
), '');
DROP TABLE policy_allowed_addresses;

ALTER TABLE sessions ADD COLUMN two_factor_verified TEXT NOT NULL DEFAULT '';
UPDATE sessions s SET two_factor_verified = COALESCE((
    SELECT string_agg(v.organization_id::TEXT, ',') FROM session_two_factor_verifications v
    WHERE v.session_hash = s.id_hash
), '');
DROP TABLE session_two_factor_verifications;
