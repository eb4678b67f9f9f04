UPDATE audit_events SET action = 'token.revoked_all' WHERE action = 'token.revoked-all';
UPDATE audit_events SET action = REPLACE(action, '-', '_')
    WHERE action LIKE 'client-token.%';
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_headers;
DROP TABLE webhook_event_types;
DROP TABLE webhook_secrets;
DROP TABLE webhooks;
