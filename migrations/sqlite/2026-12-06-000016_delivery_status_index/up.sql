-- The deliveries page filters an organization's messages by status, newest first.
CREATE INDEX outbox_messages_organization_status ON outbox_messages (organization_id, status, created_at);
