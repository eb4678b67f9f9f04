ALTER TABLE memberships DROP COLUMN reactivated_at;
DROP TABLE organization_policies;
