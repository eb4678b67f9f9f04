DROP TABLE organization_policies;
