-- The audit log page: each event keeps who acted and what it acted on as they were then (names
-- survive renames and deletions), the request it came with, and its place in its
-- organization's hash chain.
ALTER TABLE audit_events ADD COLUMN actor_kind TEXT NOT NULL DEFAULT 'system';
-- The actor's email then (lowercase), and for a token its name, for a partner user the partner.
ALTER TABLE audit_events ADD COLUMN actor_name TEXT;
ALTER TABLE audit_events ADD COLUMN actor_detail TEXT;
ALTER TABLE audit_events ADD COLUMN target_kind TEXT;
ALTER TABLE audit_events ADD COLUMN target_id BIGINT;
-- The target's name folded to lowercase, for `target:` searches.
ALTER TABLE audit_events ADD COLUMN target_key TEXT;
ALTER TABLE audit_events ADD COLUMN user_agent TEXT;
ALTER TABLE audit_events ADD COLUMN request_id TEXT;
-- Hex SHA-256: of the previous event of the same chain, and of this one (over prev_hash too).
-- Events written before this migration are chained by the server when it starts.
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;

UPDATE audit_events SET
    actor_kind = CASE
        WHEN actor_token_id IS NOT NULL THEN 'token'
        WHEN actor_account_id IS NOT NULL THEN 'member'
        ELSE 'system' END,
    actor_name = (SELECT email FROM accounts WHERE accounts.id = audit_events.actor_account_id),
    target_key = lower(target);

-- Every qualifier of the search reads one index in the page's order (newest first).
DROP INDEX audit_events_organization_created;
CREATE INDEX audit_events_organization_created ON audit_events (organization_id, created_at, id);
CREATE INDEX audit_events_action ON audit_events (organization_id, action, created_at, id);
CREATE INDEX audit_events_actor ON audit_events (organization_id, actor_name, created_at, id);
CREATE INDEX audit_events_target ON audit_events (organization_id, target_key, created_at, id);
CREATE INDEX audit_events_target_id ON audit_events (organization_id, target_kind, target_id, created_at, id);
CREATE INDEX audit_events_unchained ON audit_events (id) WHERE hash IS NULL;

-- One row per chain (an organization's id; 0 for events of no organization): the hash of its
-- newest event, and of the newest event retention deleted (the oldest left must point to it).
-- Writers lock it (an upsert) so the events of one organization are chained one at a time.
CREATE TABLE audit_chains (
    chain BIGINT PRIMARY KEY NOT NULL,
    last_hash TEXT NOT NULL DEFAULT '',
    anchor_hash TEXT NOT NULL DEFAULT '',
    cleaned_at TIMESTAMP,
    cleaned_before TIMESTAMP
);

ALTER TABLE organizations ADD COLUMN audit_retention_days INTEGER NOT NULL DEFAULT 365;
