//! The organization every route is walked in: an admin, members of each kind, a pending
//! invitation, an environment, the API catalog with an external user, partners and client
//! tokens, a personal token and a webhook; and the list of every console and portal route with
//! who may call it. The authorization test walks it for every kind of caller; the browser tests
//! open every page of it.

use gatehouse::domain::environment::{EnvAccess, EnvAccessSet};
use gatehouse::domain::ids::{EnvironmentId, MembershipId, OrganizationId, RoleId};
use gatehouse::domain::permission::Permission;

use crate::helpers::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    /// Any signed-in account, external users included (their own account pages, home, portal).
    Accounts,
    /// Any active member.
    Members,
    /// Admins, and members who may read the users page.
    UserReaders,
    Admins,
    /// The organization's owner only (the Partners page).
    Owner,
    /// A portal page of an API granted to the external user (and readable by no member here).
    GrantedApi,
    /// A portal page of an API nobody here was granted.
    UngrantedApi,
}

pub(crate) struct Route {
    pub(crate) method: &'static str,
    pub(crate) path: String,
    pub(crate) audience: Audience,
    /// The path names ids of the organization, which another organization must not see.
    pub(crate) scoped: bool,
}

pub(crate) fn route(method: &'static str, path: String, audience: Audience, scoped: bool) -> Route {
    Route {
        method,
        path,
        audience,
        scoped,
    }
}

/// The ids the routes are filled with, all from the first organization.
pub(crate) struct Ids {
    pub(crate) organization: OrganizationId,
    pub(crate) member: MembershipId,
    /// A second plain member, for the last route once the first is gone.
    pub(crate) spare: MembershipId,
    pub(crate) pending: MembershipId,
    pub(crate) role: RoleId,
    pub(crate) environment: EnvironmentId,
    pub(crate) delivery: i64,
    pub(crate) api: i64,
    /// An API in the catalog that the external user was not granted.
    pub(crate) other_api: i64,
    pub(crate) api_group: i64,
    pub(crate) external: i64,
    /// A partner company this organization registered.
    pub(crate) registered_partner: i64,
    /// A client token this organization (a partner too) issued, accepted by a client.
    pub(crate) client_token: i64,
    /// The membership (here) of the partner user authorized by that token in its client.
    pub(crate) token_user: MembershipId,
    /// A partnership with a partner whose token this organization accepted as a client.
    pub(crate) accepted_partner: i64,
    /// A personal access token of `member` in this organization.
    pub(crate) member_token: i64,
    /// A webhook of this organization, and a delivery of its test event.
    pub(crate) webhook: i64,
    pub(crate) webhook_delivery: i64,
}

pub(crate) fn routes(ids: &Ids) -> Vec<Route> {
    use Audience::*;
    let Ids {
        organization,
        member,
        spare,
        pending,
        role,
        environment,
        delivery,
        api,
        other_api,
        api_group,
        external,
        registered_partner,
        client_token,
        token_user,
        accepted_partner,
        member_token,
        webhook,
        webhook_delivery,
    } = ids;
    vec![
        route("GET", "/".into(), Accounts, false),
        route("GET", "/portal".into(), Accounts, false),
        // Gatehouse's own API reference: members with API access (Admin implies it).
        route("GET", "/portal/gatehouse-api".into(), Admins, false),
        route("GET", format!("/portal/apis/{api}"), GrantedApi, true),
        route(
            "GET",
            format!("/portal/apis/{api}/openapi"),
            GrantedApi,
            true,
        ),
        route(
            "GET",
            format!("/portal/apis/{other_api}"),
            UngrantedApi,
            true,
        ),
        route(
            "GET",
            format!("/portal/apis/{other_api}/openapi"),
            UngrantedApi,
            true,
        ),
        route("GET", "/apis".into(), Admins, false),
        route("GET", "/apis/new".into(), Admins, false),
        route("POST", "/apis".into(), Admins, false),
        route("GET", format!("/apis/{api}"), Admins, true),
        route("POST", format!("/apis/{api}"), Admins, true),
        route("GET", format!("/apis/{api}/openapi"), Admins, true),
        route("GET", format!("/apis/{api}/delete"), Admins, true),
        route("GET", "/apis/groups/new".into(), Admins, false),
        route("POST", "/apis/groups".into(), Admins, false),
        route("GET", format!("/apis/groups/{api_group}"), Admins, true),
        route("POST", format!("/apis/groups/{api_group}"), Admins, true),
        route(
            "GET",
            format!("/apis/groups/{api_group}/delete"),
            Admins,
            true,
        ),
        route("GET", "/users/partners".into(), UserReaders, false),
        route("GET", "/partners".into(), Owner, false),
        route("GET", "/partners/new".into(), Owner, false),
        route("POST", "/partners/new".into(), Owner, false),
        route("GET", "/partners/new/domains".into(), Owner, false),
        route("POST", "/partners/new/domains".into(), Owner, false),
        route("GET", "/partners/new/admin".into(), Owner, false),
        route("POST", "/partners/new/admin".into(), Owner, false),
        route("GET", "/partners/new/review".into(), Owner, false),
        route("POST", "/partners/new/cancel".into(), Owner, false),
        route("POST", "/partners".into(), Owner, false),
        route(
            "GET",
            format!("/partners/{registered_partner}"),
            Owner,
            true,
        ),
        route(
            "GET",
            format!("/partners/{registered_partner}/logo"),
            Owner,
            true,
        ),
        route(
            "POST",
            format!("/partners/{registered_partner}/info"),
            Owner,
            true,
        ),
        route(
            "POST",
            format!("/partners/{registered_partner}/domains"),
            Owner,
            true,
        ),
        route(
            "POST",
            format!("/partners/{registered_partner}/admin"),
            Owner,
            true,
        ),
        route(
            "POST",
            format!("/partners/{registered_partner}/admin/resend"),
            Owner,
            true,
        ),
        route(
            "POST",
            format!("/partners/{registered_partner}/apis"),
            Owner,
            true,
        ),
        route(
            "GET",
            format!("/partners/{registered_partner}/deactivate"),
            Owner,
            true,
        ),
        route(
            "POST",
            format!("/partners/{registered_partner}/deactivate"),
            Owner,
            true,
        ),
        route("GET", "/webhooks".into(), Owner, false),
        route("GET", "/webhooks/new".into(), Owner, false),
        route("POST", "/webhooks".into(), Owner, false),
        route("GET", format!("/webhooks/{webhook}"), Owner, true),
        route("POST", format!("/webhooks/{webhook}"), Owner, true),
        route(
            "GET",
            format!("/webhooks/{webhook}/deliveries"),
            Owner,
            true,
        ),
        route(
            "POST",
            format!("/webhooks/{webhook}/deliveries/{webhook_delivery}/redeliver"),
            Owner,
            true,
        ),
        route("POST", format!("/webhooks/{webhook}/replay"), Owner, true),
        route("POST", format!("/webhooks/{webhook}/test"), Owner, true),
        route("GET", format!("/webhooks/{webhook}/rotate"), Owner, true),
        route("POST", format!("/webhooks/{webhook}/rotate"), Owner, true),
        route("POST", format!("/webhooks/{webhook}/pause"), Owner, true),
        route("GET", format!("/webhooks/{webhook}/resume"), Owner, true),
        route("POST", format!("/webhooks/{webhook}/resume"), Owner, true),
        route("GET", format!("/webhooks/{webhook}/delete"), Owner, true),
        route("POST", format!("/webhooks/{webhook}/delete"), Owner, true),
        route("GET", "/clients".into(), Admins, false),
        route("GET", "/clients/new".into(), Admins, false),
        route("POST", "/clients".into(), Admins, false),
        route("GET", format!("/clients/{client_token}"), Admins, true),
        route(
            "POST",
            format!("/clients/{client_token}/users"),
            Admins,
            true,
        ),
        route(
            "GET",
            format!("/clients/{client_token}/users/{token_user}"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/clients/{client_token}/users/{token_user}"),
            Admins,
            true,
        ),
        route(
            "GET",
            format!("/clients/{client_token}/users/{token_user}/revoke"),
            Admins,
            true,
        ),
        route(
            "GET",
            format!("/clients/{client_token}/deactivate"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/clients/{client_token}/deactivate"),
            Admins,
            true,
        ),
        route(
            "GET",
            format!("/clients/{client_token}/activate"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/clients/{client_token}/activate"),
            Admins,
            true,
        ),
        route(
            "GET",
            format!("/clients/{client_token}/delete"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/clients/{client_token}/delete"),
            Admins,
            true,
        ),
        route("GET", "/my-partner".into(), Admins, false),
        route("POST", "/my-partner/preview".into(), Admins, false),
        route("POST", "/my-partner/accept".into(), Admins, false),
        route(
            "GET",
            format!("/my-partner/{accepted_partner}"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/my-partner/{accepted_partner}/rules"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/my-partner/{accepted_partner}/suspend"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/my-partner/{accepted_partner}/resume"),
            Admins,
            true,
        ),
        route(
            "GET",
            format!("/my-partner/{accepted_partner}/end"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/my-partner/{accepted_partner}/end"),
            Admins,
            true,
        ),
        route("GET", "/users/external".into(), UserReaders, false),
        route(
            "POST",
            "/preferences/columns/external_users".into(),
            UserReaders,
            false,
        ),
        route("GET", "/users/external/new".into(), Admins, false),
        route("POST", "/users/external".into(), Admins, false),
        route(
            "GET",
            format!("/users/external/{external}/access"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/external/{external}/access"),
            Admins,
            true,
        )
        .with_form(&[("api", api)]),
        route(
            "GET",
            format!("/users/external/{external}/resend"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/external/{external}/resend"),
            Admins,
            true,
        ),
        route(
            "GET",
            format!("/users/external/{external}/edit"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/external/{external}/edit"),
            Admins,
            true,
        ),
        route(
            "GET",
            format!("/users/external/{external}/delete"),
            Admins,
            true,
        ),
        route("GET", "/organizations".into(), Members, false),
        route("POST", "/organizations/switch".into(), Members, true)
            .with_form(&[("organization_id", &organization.get())]),
        route("POST", "/organizations/current".into(), Admins, false),
        // Every signed-in account's own page. (Signing out one session by its handle is checked in
        // profile.rs: a handle is per caller, and another account's answers 404.)
        route("GET", "/profile".into(), Accounts, false),
        route("POST", "/profile".into(), Accounts, false),
        route("POST", "/profile/password".into(), Accounts, false),
        // Personal access tokens: any account may open the page; creating one needs API access
        // in the chosen organization (personal_tokens.rs checks that and revoking by handle).
        route("GET", "/profile/tokens".into(), Accounts, false),
        route("POST", "/profile/tokens".into(), Accounts, false),
        route(
            "POST",
            "/profile/sessions/sign-out-others".into(),
            Accounts,
            false,
        ),
        // One's own authenticator app (authenticator.rs checks what each step does).
        route("GET", "/profile/two-factor".into(), Accounts, false),
        route("POST", "/profile/two-factor/setup".into(), Accounts, false),
        route(
            "POST",
            "/profile/two-factor/confirm".into(),
            Accounts,
            false,
        ),
        route("POST", "/profile/two-factor/cancel".into(), Accounts, false),
        route(
            "POST",
            "/profile/two-factor/recovery-codes".into(),
            Accounts,
            false,
        ),
        route(
            "POST",
            "/profile/two-factor/turn-off".into(),
            Accounts,
            false,
        ),
        // The expired-password page: any signed-in account (without an expired password it just
        // leads to the console; password_policy.rs checks the page itself).
        route("GET", "/password-expired".into(), Accounts, false),
        route("POST", "/password-expired".into(), Accounts, false),
        // The two-factor page: any signed-in account (with nothing pending it leads to the
        // console; two_factor.rs checks the page itself).
        route("GET", "/two-factor".into(), Accounts, false),
        route("POST", "/two-factor".into(), Accounts, false),
        route("POST", "/two-factor/resend".into(), Accounts, false),
        route("GET", "/users".into(), UserReaders, false),
        route(
            "POST",
            "/preferences/columns/users".into(),
            UserReaders,
            false,
        ),
        route("GET", "/users/new".into(), Admins, false),
        route("POST", "/users".into(), Admins, false),
        route("GET", format!("/users/{member}/roles"), Admins, true),
        route(
            "GET",
            format!("/users/{member}/tokens/{member_token}/revoke"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/{member}/tokens/{member_token}/revoke"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/{member}/roles/assign"),
            Admins,
            true,
        ),
        route("POST", format!("/users/{member}/roles/new"), Admins, true),
        route(
            "POST",
            format!("/users/{member}/roles/{role}/active"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/{pending}/invitation/resend"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/{pending}/invitation/revoke"),
            Admins,
            true,
        ),
        route("POST", format!("/users/{member}/reactivate"), Admins, true),
        route("GET", format!("/users/{member}/two-factor"), Admins, true),
        route("POST", format!("/users/{member}/two-factor"), Admins, true),
        route("GET", format!("/users/{member}/remove"), Admins, true),
        route("POST", format!("/users/{member}/remove"), Admins, true),
        route("GET", "/policies".into(), Admins, false),
        route("POST", "/policies".into(), Admins, false),
        // Single sign-on settings and the bypass list (sso.rs checks what each does; the
        // provider's way back, /sso/callback, is for anyone and checks its state itself).
        route("GET", "/policies/sso".into(), Admins, false),
        route("POST", "/policies/sso".into(), Admins, false),
        route("POST", "/policies/sso/test".into(), Admins, false),
        route("POST", "/policies/sso/enabled".into(), Admins, false),
        route("POST", "/policies/sso/bypass".into(), Admins, false),
        route("POST", "/policies/sso/bypass/remove".into(), Admins, false),
        route("GET", "/policies/tokens/revoke-all".into(), Admins, false),
        route("POST", "/policies/tokens/revoke-all".into(), Admins, false),
        route("GET", "/deliveries".into(), Admins, false),
        route("POST", "/deliveries/test".into(), Admins, false),
        route(
            "POST",
            format!("/deliveries/{delivery}/send-again"),
            Admins,
            true,
        ),
        route("GET", "/roles".into(), Admins, false),
        route("GET", "/roles/new".into(), Admins, false),
        route("POST", "/roles".into(), Admins, false),
        route("POST", "/preferences/columns/roles".into(), Admins, false),
        route("GET", format!("/roles/{role}"), Admins, true),
        route(
            "GET",
            format!("/roles/{role}?tab=environments"),
            Admins,
            true,
        ),
        route("POST", format!("/roles/{role}"), Admins, true),
        route("POST", format!("/roles/{role}/deactivate"), Admins, true),
        route("POST", format!("/roles/{role}/reactivate"), Admins, true),
        route("POST", format!("/roles/{role}/remove"), Admins, true),
        route("POST", format!("/roles/{role}/members"), Admins, true),
        route(
            "POST",
            format!("/roles/{role}/members/{member}/active"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/roles/{role}/environments/{environment}"),
            Admins,
            true,
        ),
        route("GET", "/environments".into(), Admins, false),
        route("POST", "/environments".into(), Admins, false),
        route("POST", format!("/environments/{environment}"), Admins, true),
        route(
            "GET",
            format!("/environments/{environment}/delete"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/environments/{environment}/delete"),
            Admins,
            true,
        ),
        // The external user's status changes, suspension last but one: it ends their access.
        route(
            "POST",
            format!("/users/external/{external}/reactivate"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/external/{external}/suspend"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/external/{external}/delete"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/apis/groups/{api_group}/delete"),
            Admins,
            true,
        ),
        route("POST", format!("/apis/{other_api}/delete"), Admins, true),
        // Last: for the admin these end the member's role (their only one), so the member goes.
        route(
            "POST",
            format!("/roles/{role}/members/{member}/unassign"),
            Admins,
            true,
        ),
        route(
            "POST",
            format!("/users/{spare}/roles/{role}/unassign"),
            Admins,
            true,
        ),
    ]
}

trait WithForm {
    fn with_form(self, fields: &[(&str, &i64)]) -> Self;
}

impl WithForm for Route {
    /// Routes that need a field to reach their authorization check carry it in the path's query
    /// marker; the caller sends it as a form field.
    fn with_form(mut self, fields: &[(&str, &i64)]) -> Self {
        for (name, value) in fields {
            self.path.push_str(&format!("?{name}={value}"));
        }
        self
    }
}

pub(crate) async fn arrange() -> (TestApp, TestClient, Ids) {
    let (app, admin) = spawn_app_with_admin().await;
    let org = first_organization_id(&app);

    // A read-only member: a role with Execute access to an environment.
    let operators = create_role(&app, org, "Operators", &[Permission::Read]);
    let environment = {
        let mut conn = app.pool.get().unwrap();
        let actor = test_actor(&app);
        let id =
            gatehouse::domain::environment::create(&mut conn, org, "Production", &actor).unwrap();
        gatehouse::domain::environment::set_role_access(
            &mut conn,
            org,
            operators,
            id,
            EnvAccessSet::of(&[EnvAccess::Execute]),
            &actor,
        )
        .unwrap();
        id
    };
    add_member(&app, org, "reader@example.com", &["Operators"]);
    let member = add_member(&app, org, "plain@example.com", &["User"]);
    let spare = add_member(&app, org, "spare@example.com", &["User"]);
    let pending = {
        let mut conn = app.pool.get().unwrap();
        let email = gatehouse::domain::account::EmailAddress::parse("pending@example.com").unwrap();
        match gatehouse::domain::membership::add(
            &mut conn,
            org,
            &email,
            &[role_id(&app, org, "User")],
            None,
            &test_actor(&app),
        )
        .unwrap()
        {
            gatehouse::domain::membership::Added::Invited { membership_id, .. } => membership_id,
            other => panic!("{other:?}"),
        }
    };
    admin.page("/deliveries").await;
    admin.post_form("/deliveries/test", &[]).await;
    // Let the worker finish with the message first (it writes to a file here), then mark it
    // failed, so that "send again" has something to act on.
    let delivery = {
        use diesel::prelude::*;
        use gatehouse::db::schema::outbox_messages;
        let sent = app
            .wait_for_outbox("the test email handled", |m| {
                m.len() == 1 && m[0].status.as_str() != "pending"
            })
            .await;
        let mut conn = app.pool.get().unwrap();
        diesel::update(outbox_messages::table.find(sent[0].id))
            .set(outbox_messages::status.eq("failed"))
            .execute(&mut conn)
            .unwrap();
        sent[0].id
    };
    // Another organization with its own administrator.
    {
        let mut conn = app.pool.get().unwrap();
        let actor = test_actor(&app);
        let other = account_with_password(
            &mut conn,
            actor.at,
            "other@example.com",
            "Other Admin",
            None,
        );
        gatehouse::domain::organization::create_with_owner(
            &mut conn,
            "Elsewhere",
            other.id,
            &actor,
        )
        .unwrap();
    }

    let portal = catalog_and_external_user(&app, org, environment);
    let webhook = {
        use gatehouse::domain::webhook::{self, EventChoice, WebhookInput};
        let mut conn = app.pool.get().unwrap();
        let actor = test_actor(&app);
        let input = WebhookInput {
            url: "https://hooks.example.com/in".into(),
            description: String::new(),
            events: EventChoice::All,
            basic_auth: None,
            headers: Vec::new(),
        };
        let allowed = gatehouse::domain::outbound::AllowedNetworks::default();
        let (id, _) = webhook::create(&mut conn, org, &input, &allowed, &actor).unwrap();
        let delivery = webhook::send_test_event(&mut conn, org, "Acme", id, &actor).unwrap();
        // Paused, so no worker tries to reach the example host during the test.
        webhook::pause(&mut conn, org, id, &actor).unwrap();
        (id.get(), delivery)
    };
    let partners = partnerships(&app, org, member, operators);
    let ids = Ids {
        organization: org,
        member,
        spare,
        pending,
        role: role_id(&app, org, "User"),
        environment,
        delivery,
        api: portal.api,
        other_api: portal.other_api,
        api_group: portal.api_group,
        external: portal.external,
        registered_partner: partners.registered_partner,
        client_token: partners.client_token,
        token_user: partners.token_user,
        accepted_partner: partners.accepted_partner,
        member_token: {
            let mut conn = app.pool.get().unwrap();
            let account = gatehouse::domain::membership::find(&mut conn, org, member)
                .unwrap()
                .account_id;
            let actor = test_actor(&app);
            let (id, _) = gatehouse::domain::personal_token::create(
                &mut conn,
                account,
                org,
                "Plain's script",
                gatehouse::domain::personal_token::TokenScope::Read,
                actor.at + time::Duration::days(30),
                &actor,
            )
            .unwrap();
            id.get()
        },
        webhook: webhook.0,
        webhook_delivery: webhook.1,
    };
    (app, admin, ids)
}

pub(crate) const EXTERNAL_EMAIL: &str = "ext@partner.example";

struct PortalIds {
    api: i64,
    other_api: i64,
    api_group: i64,
    external: i64,
}

/// Two APIs with documents in the environment, a group, and a registered, Active external user
/// (password `ADMIN_PASSWORD`) granted the first API only.
fn catalog_and_external_user(
    app: &TestApp,
    org: OrganizationId,
    environment: EnvironmentId,
) -> PortalIds {
    use diesel::prelude::*;
    use gatehouse::db::schema::{apis, external_user_apis, external_users};
    let mut conn = app.pool.get().unwrap();
    let now = test_actor(app).at;
    let mut api = |name: &str| -> i64 {
        diesel::insert_into(apis::table)
            .values((
                apis::organization_id.eq(org),
                apis::environment_id.eq(environment),
                apis::name.eq(name),
                apis::name_folded.eq(name.to_lowercase()),
                apis::version.eq("1"),
                apis::description.eq(""),
                apis::base_url.eq("https://api.example.com"),
                apis::openapi_document
                    .eq(r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}"#),
                apis::openapi_filename.eq("openapi.json"),
                apis::created_at.eq(now),
                apis::updated_at.eq(now),
            ))
            .returning(apis::id)
            .get_result(&mut conn)
            .unwrap()
    };
    let (granted, other_api) = (api("Payments"), api("Ledger"));
    let api_group = catalog_group(app, org, "Suite", &[other_api]);
    let account = account_with_password(&mut conn, now, EXTERNAL_EMAIL, "Ext Ernal", None);
    let external: i64 = diesel::insert_into(external_users::table)
        .values((
            external_users::organization_id.eq(org),
            external_users::account_id.eq(account.id),
            external_users::status.eq("active"),
            external_users::company.eq("Partner"),
            external_users::invited_time_zone.eq("UTC"),
            external_users::created_at.eq(now),
            external_users::registered_at.eq(now),
            external_users::email.eq(EXTERNAL_EMAIL),
            external_users::name_folded.eq("ext ernal"),
            external_users::company_folded.eq("partner"),
            external_users::search_text.eq("ext@partner.example ext ernal partner"),
        ))
        .returning(external_users::id)
        .get_result(&mut conn)
        .unwrap();
    diesel::insert_into(external_user_apis::table)
        .values((
            external_user_apis::external_user_id.eq(external),
            external_user_apis::api_id.eq(granted),
        ))
        .execute(&mut conn)
        .unwrap();
    PortalIds {
        api: granted,
        other_api,
        api_group,
        external,
    }
}

pub(crate) const PARTNER_USER: &str = "pat@partner.example";

struct PartnerIds {
    registered_partner: i64,
    client_token: i64,
    token_user: MembershipId,
    accepted_partner: i64,
}

/// The partner relations the partner routes act on: this organization registered a partner
/// company (with a logo), is itself a partner whose token a client accepted (with this
/// organization's member `member` authorized there), and accepted a token from "Partner Co",
/// which authorized its member pat@partner.example with this organization's `operators` role.
/// "Elsewhere" is a partner too, so its admin reaches the id lookups. A second, non-owner
/// Administrator is added here.
fn partnerships(
    app: &TestApp,
    org: OrganizationId,
    member: MembershipId,
    operators: RoleId,
) -> PartnerIds {
    use diesel::prelude::*;
    use gatehouse::db::schema::{organizations, partner_domains, partner_profiles, partnerships};
    use gatehouse::domain::{account, organization, partner_token, partnership};
    add_member(app, org, "second-admin@example.com", &["Administrator"]);
    let actor = test_actor(app);
    let mut conn = app.pool.get().unwrap();
    let hash = gatehouse::crypto::password::hash_blocking(ADMIN_PASSWORD, 4).unwrap();
    let new_account = |conn: &mut _, email: &str| {
        account::insert(
            conn,
            &account::NewAccount {
                email,
                name: email,
                password_hash: Some(&hash),
                language: None,
                created_at: actor.at,
                password_changed_at: Some(actor.at),
            },
        )
        .unwrap()
        .id
    };

    // A registered partner company.
    let registered_org =
        organization::create_partner_organization(&mut conn, "Registered Co", &actor)
            .unwrap()
            .id;
    let registered_partner: i64 = diesel::insert_into(partnerships::table)
        .values((
            partnerships::partner_organization_id.eq(registered_org),
            partnerships::client_organization_id.eq(org),
            partnerships::origin.eq("registration"),
            partnerships::status.eq("pending"),
            partnerships::created_at.eq(actor.at),
        ))
        .returning(partnerships::id)
        .get_result(&mut conn)
        .unwrap();
    diesel::insert_into(partner_profiles::table)
        .values((
            partner_profiles::partnership_id.eq(registered_partner),
            partner_profiles::name.eq("Registered Co"),
            partner_profiles::logo.eq(b"\x89PNG\r\n\x1a\nlogo".to_vec()),
            partner_profiles::logo_content_type.eq("image/png"),
            partner_profiles::updated_at.eq(actor.at),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(partner_domains::table)
        .values((
            partner_domains::partnership_id.eq(registered_partner),
            partner_domains::position.eq(0),
            partner_domains::domain.eq("registered.example"),
        ))
        .execute(&mut conn)
        .unwrap();

    // This organization and Elsewhere are partners; a client accepted this one's token.
    diesel::update(organizations::table.filter(organizations::name.eq("Elsewhere")))
        .set(organizations::partner_enabled.eq(true))
        .execute(&mut conn)
        .unwrap();
    partnership::enable_partner(&mut conn, org, &actor).unwrap();
    let client_owner = new_account(&mut conn, "owner@client.example");
    let client_org =
        organization::create_with_owner(&mut conn, "Client Corp", client_owner, &actor)
            .unwrap()
            .id;
    let (client_token, token) = partner_token::issue(&mut conn, org, &actor).unwrap();
    let client_role = role_id(app, client_org, "User");
    partner_token::accept(&mut conn, client_org, &token, &[client_role], &actor).unwrap();
    partner_token::authorize(
        &mut conn,
        org,
        client_token,
        &[(member, client_role)],
        &actor,
    )
    .unwrap();

    // This organization accepted Partner Co's token; Partner Co authorized its member.
    let partner_owner = new_account(&mut conn, "owner@partner.example");
    let partner_org =
        organization::create_with_owner(&mut conn, "Partner Co", partner_owner, &actor)
            .unwrap()
            .id;
    partnership::enable_partner(&mut conn, partner_org, &actor).unwrap();
    drop(conn);
    let pat = add_member(app, partner_org, PARTNER_USER, &["User"]);
    let mut conn = app.pool.get().unwrap();
    let (accepted_partner, token) = partner_token::issue(&mut conn, partner_org, &actor).unwrap();
    partner_token::accept(&mut conn, org, &token, &[operators], &actor).unwrap();
    partner_token::authorize(
        &mut conn,
        partner_org,
        accepted_partner,
        &[(pat, operators)],
        &actor,
    )
    .unwrap();
    PartnerIds {
        registered_partner,
        client_token,
        token_user: member,
        accepted_partner,
    }
}
