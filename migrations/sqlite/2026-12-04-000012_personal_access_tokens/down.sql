ALTER TABLE audit_events DROP COLUMN actor_token_id;
ALTER TABLE organization_policies DROP COLUMN api_requests_per_minute;
ALTER TABLE organization_policies DROP COLUMN token_max_days;
DROP TABLE api_idempotency_keys;
DROP TABLE api_rate_limits;
DROP TABLE personal_access_tokens;
