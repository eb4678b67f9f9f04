-- An organization's policies; no row means every policy has its default.
CREATE TABLE organization_policies (
    organization_id BIGINT PRIMARY KEY NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    password_requires_special BOOLEAN NOT NULL,
    password_expiry_days INTEGER NOT NULL,
    password_history INTEGER NOT NULL,
    inactivity_days INTEGER NOT NULL,
    ip_allow_list TEXT NOT NULL,
    member_domains TEXT NOT NULL,
    remote_agent_configuration BOOLEAN NOT NULL,
    scheduler_time_zone TEXT,
    disable_connector_updates BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- When an admin last reactivated the member: the inactivity policy counts from the latest of
-- this, the last sign-in and the membership's start.
ALTER TABLE memberships ADD COLUMN reactivated_at TIMESTAMP;
