DROP INDEX memberships_by_sign_in;
CREATE INDEX memberships_by_sign_in ON memberships (organization_id, last_sign_in_at, id);
