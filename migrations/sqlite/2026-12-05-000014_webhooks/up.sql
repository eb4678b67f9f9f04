-- Webhooks: an organization's owner subscribes a URL to kinds of audit events; each matching
-- event becomes a delivery, written in the transaction of the change, that a worker sends with
-- retries (like the mail outbox).
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    all_events BOOLEAN NOT NULL,
    -- active, paused (by a person) or disabled (by the sender: 410 Gone, or 5 days of failures).
    status TEXT NOT NULL,
    disabled_reason TEXT,
    basic_auth_user TEXT,
    basic_auth_password TEXT,
    -- The first failure since the last success: 5 days of only failures disable the webhook.
    failing_since TIMESTAMP,
    last_attempt_at TIMESTAMP,
    last_status_code INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_organization ON webhooks (organization_id, id);

-- Signing secrets: the current one (no end), and for 24 hours after a rotation the previous one,
-- so deliveries carry both signatures while receivers switch.
CREATE TABLE webhook_secrets (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP
);
CREATE INDEX webhook_secrets_webhook ON webhook_secrets (webhook_id);

-- The event types a webhook that is not for "all" receives, as list rows.
CREATE TABLE webhook_event_types (
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    PRIMARY KEY (webhook_id, position)
);

-- Extra request headers; a hidden value is never shown again, only replaced.
CREATE TABLE webhook_headers (
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    hidden BOOLEAN NOT NULL,
    PRIMARY KEY (webhook_id, position)
);

-- One event as sent: its body is fixed when the change commits, so every attempt and every
-- redelivery carries the same webhook-id and the same bytes.
CREATE TABLE webhook_events (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- An event on its way to one webhook.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    -- pending, delivered or failed (retries spent, or the webhook stopped).
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
-- The worker reads what is due, oldest first.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
-- The deliveries page reads a webhook's newest first.
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);

CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempted_at TIMESTAMP NOT NULL,
    status_code INTEGER,
    error TEXT,
    latency_ms INTEGER NOT NULL,
    -- The first 4 KB of the answer.
    response_body TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- Event types are public names now: the same spelling for every area.
UPDATE audit_events SET action = REPLACE(REPLACE(action, 'client_token.', 'client-token.'), '_', '-')
    WHERE action LIKE 'client!_token.%' ESCAPE '!';
UPDATE audit_events SET action = 'token.revoked-all' WHERE action = 'token.revoked_all';
