DROP TABLE audit_events;
DROP TABLE setup_tokens;
DROP TABLE sessions;
DROP TABLE role_assignments;
DROP TABLE roles;
DROP TABLE memberships;
DROP TABLE organizations;
DROP TABLE accounts;
