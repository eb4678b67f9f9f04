// The one schema both backends share. Written by hand, not by `diesel print-schema`, because SQLite
// reports its rowid ids as Integer; tests/api/migrations.rs checks it against both databases.

diesel::table! {
    accounts (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        language -> Nullable<Text>,
        time_zone -> Nullable<Text>,
        created_at -> Timestamp,
        password_changed_at -> Nullable<Timestamp>,
        last_sign_in_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    organizations (id) {
        id -> BigInt,
        name -> Text,
        owner_account_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        member_count -> BigInt,
        partner_enabled -> Bool,
        kind -> Text,
        deactivated_at -> Nullable<Timestamp>,
        audit_retention_days -> Integer,
    }
}

diesel::table! {
    memberships (id) {
        id -> BigInt,
        organization_id -> BigInt,
        account_id -> BigInt,
        status -> Text,
        created_at -> Timestamp,
        email -> Text,
        name_folded -> Text,
        roles_label -> Text,
        search_text -> Text,
        last_sign_in_at -> Nullable<Timestamp>,
        reactivated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    roles (id) {
        id -> BigInt,
        organization_id -> BigInt,
        name -> Text,
        name_folded -> Text,
        permissions -> Integer,
        builtin -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    role_assignments (membership_id, role_id) {
        membership_id -> BigInt,
        role_id -> BigInt,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        account_id -> BigInt,
        organization_id -> Nullable<BigInt>,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
        password_change_required -> Bool,
        two_factor_pending_org -> Nullable<BigInt>,
    }
}

diesel::table! {
    session_two_factor_verifications (session_hash, organization_id) {
        session_hash -> Text,
        organization_id -> BigInt,
    }
}

diesel::table! {
    policy_allowed_addresses (organization_id, position) {
        organization_id -> BigInt,
        position -> Integer,
        entry -> Text,
    }
}

diesel::table! {
    policy_member_domains (organization_id, position) {
        organization_id -> BigInt,
        position -> Integer,
        domain -> Text,
    }
}

diesel::table! {
    setup_tokens (token_hash) {
        token_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        organization_id -> Nullable<BigInt>,
        actor_account_id -> Nullable<BigInt>,
        action -> Text,
        target -> Nullable<Text>,
        details -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
        actor_token_id -> Nullable<BigInt>,
        actor_kind -> Text,
        actor_name -> Nullable<Text>,
        actor_detail -> Nullable<Text>,
        target_kind -> Nullable<Text>,
        target_id -> Nullable<BigInt>,
        target_key -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        request_id -> Nullable<Text>,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    audit_chains (chain) {
        chain -> BigInt,
        last_hash -> Text,
        anchor_hash -> Text,
        cleaned_at -> Nullable<Timestamp>,
        cleaned_before -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox_messages (id) {
        id -> BigInt,
        organization_id -> Nullable<BigInt>,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        message_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        deadline_at -> Timestamp,
        last_error -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_reset_tokens (token_hash) {
        token_hash -> Text,
        account_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    invitations (token_hash) {
        token_hash -> Text,
        membership_id -> BigInt,
        invited_by_account_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    environments (id) {
        id -> BigInt,
        organization_id -> BigInt,
        name -> Text,
        name_folded -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    role_environment_access (role_id, environment_id) {
        role_id -> BigInt,
        environment_id -> BigInt,
        access -> Integer,
    }
}

diesel::table! {
    column_choices (account_id, table_name, position) {
        account_id -> BigInt,
        table_name -> Text,
        position -> Integer,
        column_key -> Text,
    }
}

diesel::table! {
    member_search_terms (organization_id, term, membership_id) {
        organization_id -> BigInt,
        term -> Text,
        membership_id -> BigInt,
    }
}

diesel::table! {
    organization_policies (organization_id) {
        organization_id -> BigInt,
        password_requires_special -> Bool,
        password_expiry_days -> Integer,
        password_history -> Integer,
        inactivity_days -> Integer,
        remote_agent_configuration -> Bool,
        scheduler_time_zone -> Nullable<Text>,
        disable_connector_updates -> Bool,
        updated_at -> Timestamp,
        two_factor_mode -> Text,
        two_factor_days -> Integer,
        token_max_days -> Integer,
        api_requests_per_minute -> Integer,
        two_factor_email_fallback -> Bool,
    }
}

diesel::table! {
    authenticator_apps (account_id) {
        account_id -> BigInt,
        secret_sealed -> Text,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        last_used_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    sso_connections (organization_id) {
        organization_id -> BigInt,
        issuer_url -> Text,
        client_id -> Text,
        client_secret_sealed -> Text,
        email_claim -> Text,
        enabled -> Bool,
        tested_fingerprint -> Nullable<Text>,
        tested_at -> Nullable<Timestamp>,
        end_session_url -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sso_bypass (organization_id, email) {
        organization_id -> BigInt,
        email -> Text,
    }
}

diesel::table! {
    sso_requests (state_hash) {
        state_hash -> Text,
        organization_id -> BigInt,
        account_id -> Nullable<BigInt>,
        test_settings -> Nullable<Text>,
        nonce -> Text,
        pkce_verifier -> Text,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        account_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    two_factor_codes (id) {
        id -> BigInt,
        session_hash -> Text,
        organization_id -> BigInt,
        code_hash -> Text,
        attempts -> Integer,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    trusted_devices (token_hash) {
        token_hash -> Text,
        account_id -> BigInt,
        organization_id -> BigInt,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_throttles (scope, subject) {
        scope -> Text,
        subject -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    password_history (id) {
        id -> BigInt,
        account_id -> BigInt,
        password_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    apis (id) {
        id -> BigInt,
        organization_id -> BigInt,
        environment_id -> BigInt,
        name -> Text,
        name_folded -> Text,
        version -> Text,
        description -> Text,
        base_url -> Text,
        openapi_document -> Nullable<Text>,
        openapi_filename -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    api_operations (api_id, position) {
        api_id -> BigInt,
        position -> Integer,
        method -> Text,
        path -> Text,
        summary -> Text,
    }
}

diesel::table! {
    api_groups (id) {
        id -> BigInt,
        organization_id -> BigInt,
        name -> Text,
        name_folded -> Text,
        description -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    api_group_apis (api_group_id, api_id) {
        api_group_id -> BigInt,
        api_id -> BigInt,
    }
}

diesel::table! {
    external_users (id) {
        id -> BigInt,
        organization_id -> BigInt,
        account_id -> BigInt,
        status -> Text,
        company -> Text,
        access_expires_on -> Nullable<Date>,
        invited_time_zone -> Text,
        invited_by_account_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        registered_at -> Nullable<Timestamp>,
        last_sign_in_at -> Nullable<Timestamp>,
        email -> Text,
        name_folded -> Text,
        company_folded -> Text,
        search_text -> Text,
    }
}

diesel::table! {
    external_invitations (token_hash) {
        token_hash -> Text,
        external_user_id -> BigInt,
        invited_by_account_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    external_user_api_groups (external_user_id, api_group_id) {
        external_user_id -> BigInt,
        api_group_id -> BigInt,
    }
}

diesel::table! {
    external_user_apis (external_user_id, api_id) {
        external_user_id -> BigInt,
        api_id -> BigInt,
    }
}

diesel::table! {
    partnerships (id) {
        id -> BigInt,
        partner_organization_id -> BigInt,
        client_organization_id -> Nullable<BigInt>,
        origin -> Text,
        status -> Text,
        token_hash -> Nullable<Text>,
        token_hint -> Nullable<Text>,
        created_by_account_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        activated_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    partnership_roles (partnership_id, role_id) {
        partnership_id -> BigInt,
        role_id -> BigInt,
    }
}

diesel::table! {
    partnership_grants (partnership_id, membership_id, role_id) {
        partnership_id -> BigInt,
        membership_id -> BigInt,
        role_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    partnership_apis (partnership_id, api_id) {
        partnership_id -> BigInt,
        api_id -> BigInt,
    }
}

diesel::table! {
    partnership_api_groups (partnership_id, api_group_id) {
        partnership_id -> BigInt,
        api_group_id -> BigInt,
    }
}

diesel::table! {
    partner_profiles (partnership_id) {
        partnership_id -> BigInt,
        name -> Text,
        logo -> Nullable<Binary>,
        logo_content_type -> Nullable<Text>,
        admin_account_id -> Nullable<BigInt>,
        pending_admin_account_id -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partner_domains (partnership_id, position) {
        partnership_id -> BigInt,
        position -> Integer,
        domain -> Text,
    }
}

diesel::table! {
    partner_drafts (id) {
        id -> BigInt,
        organization_id -> BigInt,
        account_id -> BigInt,
        name -> Text,
        logo -> Nullable<Binary>,
        logo_content_type -> Nullable<Text>,
        domains -> Text,
        admin_first_name -> Text,
        admin_last_name -> Text,
        admin_email -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    personal_access_tokens (id) {
        id -> BigInt,
        account_id -> BigInt,
        organization_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        can_write -> Bool,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        last_used_ip -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by_account_id -> Nullable<BigInt>,
        expiry_notice_sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_rate_limits (subject) {
        subject -> Text,
        arrival_ms -> BigInt,
    }
}

diesel::table! {
    api_idempotency_keys (token_id, idempotency_key) {
        token_id -> BigInt,
        idempotency_key -> Text,
        request_fingerprint -> Text,
        status -> Integer,
        body -> Text,
        location -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        organization_id -> BigInt,
        url -> Text,
        description -> Text,
        all_events -> Bool,
        status -> Text,
        disabled_reason -> Nullable<Text>,
        basic_auth_user -> Nullable<Text>,
        basic_auth_password -> Nullable<Text>,
        failing_since -> Nullable<Timestamp>,
        last_attempt_at -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_secrets (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        secret -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_event_types (webhook_id, position) {
        webhook_id -> BigInt,
        position -> Integer,
        event_type -> Text,
    }
}

diesel::table! {
    webhook_headers (webhook_id, position) {
        webhook_id -> BigInt,
        position -> Integer,
        name -> Text,
        value -> Text,
        hidden -> Bool,
    }
}

diesel::table! {
    webhook_events (id) {
        id -> BigInt,
        organization_id -> BigInt,
        message_id -> Text,
        event_type -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        event_id -> BigInt,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        latency_ms -> Integer,
        response_body -> Nullable<Text>,
    }
}

diesel::joinable!(webhooks -> organizations (organization_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_secrets -> webhooks (webhook_id));
diesel::joinable!(webhook_deliveries -> webhook_events (event_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(personal_access_tokens -> organizations (organization_id));
diesel::joinable!(api_idempotency_keys -> personal_access_tokens (token_id));
diesel::joinable!(memberships -> accounts (account_id));
diesel::joinable!(invitations -> memberships (membership_id));
diesel::joinable!(environments -> organizations (organization_id));
diesel::joinable!(role_environment_access -> roles (role_id));
diesel::joinable!(role_environment_access -> environments (environment_id));
diesel::joinable!(password_reset_tokens -> accounts (account_id));
diesel::joinable!(memberships -> organizations (organization_id));
diesel::joinable!(roles -> organizations (organization_id));
diesel::joinable!(role_assignments -> memberships (membership_id));
diesel::joinable!(role_assignments -> roles (role_id));
diesel::joinable!(sessions -> accounts (account_id));
diesel::joinable!(session_two_factor_verifications -> sessions (session_hash));
diesel::joinable!(policy_allowed_addresses -> organization_policies (organization_id));
diesel::joinable!(policy_member_domains -> organization_policies (organization_id));
diesel::joinable!(password_history -> accounts (account_id));
diesel::joinable!(authenticator_apps -> accounts (account_id));
diesel::joinable!(recovery_codes -> accounts (account_id));

diesel::joinable!(apis -> environments (environment_id));
diesel::joinable!(api_operations -> apis (api_id));
diesel::joinable!(api_group_apis -> apis (api_id));
diesel::joinable!(api_group_apis -> api_groups (api_group_id));
diesel::joinable!(external_users -> organizations (organization_id));
diesel::joinable!(external_users -> accounts (account_id));
diesel::joinable!(external_invitations -> external_users (external_user_id));
diesel::joinable!(external_user_api_groups -> external_users (external_user_id));
diesel::joinable!(external_user_api_groups -> api_groups (api_group_id));
diesel::joinable!(external_user_apis -> external_users (external_user_id));
diesel::joinable!(external_user_apis -> apis (api_id));

diesel::joinable!(partnership_roles -> partnerships (partnership_id));
diesel::joinable!(partnership_roles -> roles (role_id));
diesel::joinable!(partnership_grants -> partnerships (partnership_id));
diesel::joinable!(partnership_grants -> memberships (membership_id));
diesel::joinable!(partnership_grants -> roles (role_id));
diesel::joinable!(partnership_apis -> partnerships (partnership_id));
diesel::joinable!(partnership_apis -> apis (api_id));
diesel::joinable!(partnership_api_groups -> partnerships (partnership_id));
diesel::joinable!(partnership_api_groups -> api_groups (api_group_id));
diesel::joinable!(partner_profiles -> partnerships (partnership_id));
diesel::joinable!(partner_domains -> partner_profiles (partnership_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    authenticator_apps,
    recovery_codes,
    sso_connections,
    sso_bypass,
    sso_requests,
    personal_access_tokens,
    api_rate_limits,
    api_idempotency_keys,
    webhooks,
    webhook_secrets,
    webhook_event_types,
    webhook_headers,
    webhook_events,
    webhook_deliveries,
    webhook_attempts,
    organizations,
    memberships,
    roles,
    role_assignments,
    sessions,
    session_two_factor_verifications,
    policy_allowed_addresses,
    policy_member_domains,
    setup_tokens,
    audit_events,
    audit_chains,
    outbox_messages,
    password_reset_tokens,
    invitations,
    environments,
    role_environment_access,
    column_choices,
    member_search_terms,
    sign_in_throttles,
    organization_policies,
    password_history,
    two_factor_codes,
    trusted_devices,
    apis,
    api_operations,
    api_groups,
    api_group_apis,
    external_users,
    external_invitations,
    external_user_api_groups,
    external_user_apis,
    partnerships,
    partnership_roles,
    partnership_grants,
    partnership_apis,
    partnership_api_groups,
    partner_profiles,
    partner_drafts,
    partner_domains,
);
