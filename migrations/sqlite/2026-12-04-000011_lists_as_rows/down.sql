CREATE TABLE column_preferences (
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    column_list TEXT NOT NULL,
    PRIMARY KEY (account_id, table_name)
);
INSERT INTO column_preferences (account_id, table_name, column_list)
SELECT account_id, table_name, group_concat(column_key, ',')
FROM (SELECT * FROM column_choices ORDER BY account_id, table_name, position)
GROUP BY account_id, table_name;
DROP TABLE column_choices;

ALTER TABLE partner_profiles ADD COLUMN domains TEXT NOT NULL DEFAULT '';
UPDATE partner_profiles SET domains = COALESCE((
    SELECT group_concat(domain, ' ') FROM (
        SELECT domain FROM partner_domains d
        WHERE d.partnership_id = partner_profiles.partnership_id ORDER BY position
    )
), '');
DROP TABLE partner_domains;

ALTER TABLE organization_policies ADD COLUMN member_domains TEXT NOT NULL DEFAULT '';
UPDATE organization_policies SET member_domains = COALESCE((
    SELECT group_concat(domain, ',') FROM (
        SELECT domain FROM policy_member_domains d
        WHERE d.organization_id = organization_policies.organization_id ORDER BY position
    )
), '');
DROP TABLE policy_member_domains;

ALTER TABLE organization_policies ADD COLUMN ip_allow_list TEXT NOT NULL DEFAULT '';
UPDATE organization_policies SET ip_allow_list = COALESCE((
    SELECT group_concat(entry, ',') FROM (
        SELECT entry FROM policy_allowed_addresses a
        WHERE a.organization_id = organization_policies.organization_id ORDER BY position
    )
), '');
DROP TABLE policy_allowed_addresses;

ALTER TABLE sessions ADD COLUMN two_factor_verified TEXT NOT NULL DEFAULT '';
UPDATE sessions SET two_factor_verified = COALESCE((
    SELECT group_concat(organization_id, ',') FROM session_two_factor_verifications v
    WHERE v.session_hash = sessions.id_hash
), '');
DROP TABLE session_two_factor_verifications;
