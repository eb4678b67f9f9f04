//! Who is asking. The session layer resolves the cookie once per request into a `SignedIn`: the
//! account, and the organization it acts in with the rights its roles give there
//! (`MemberContext`), or the API portal only for an external user.

use diesel::QueryResult;
use time::PrimitiveDateTime;

use crate::db::DbConnection;
use crate::domain::audit::{Actor, Trace};
use crate::domain::external_access::{self, Standing};
use crate::domain::ids::{AccountId, OrganizationId, TokenId};
use crate::domain::invitation::Inviter;
use crate::domain::organization::{self, MemberContext};
use crate::domain::permission::Permission;
use crate::domain::session::{self, Found, SessionPolicy};
use crate::i18n::Lang;

/// Who is signed in, as every handler of the request sees it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session_hash: String,
    pub account_id: AccountId,
    pub email: String,
    pub name: String,
    pub language: Option<String>,
    /// The account's IANA time zone, for showing times (None: UTC).
    pub time_zone: Option<String>,
    pub csrf_token: String,
    /// The organization the session acts in, when the account is an active member there (set
    /// with `act_in`, which keeps `capabilities` in step).
    pub member: Option<MemberContext>,
    /// What the account may do there.
    pub capabilities: Option<Capabilities>,
    /// The password expired: until it is changed, the session only opens the change page.
    pub password_change_required: bool,
    /// The organization waiting for a two-factor code: until it is entered, the session only
    /// opens the code page (and signs out).
    pub two_factor_pending_org: Option<OrganizationId>,
    /// Organizations whose two-factor code this session entered.
    /// The account is no member anywhere but an Active external user: it has the API portal
    /// and nothing of the console.
    pub portal_only: bool,
}

pub enum Lookup {
    Valid(Box<SignedIn>),
    /// The cookie named a session that timed out (it is deleted now).
    Expired,
    /// No such session: never existed, signed out, or ended by an admin.
    Unknown,
    /// The account's only access was as an external user, and it expired or was suspended: the
    /// session is deleted now.
    AccessEnded,
}

/// Resolves a cookie to who is signed in: the session (ended when idle or too old), the
/// organization it acts in (another of the account's when the chosen one went away), or the
/// portal for an external user whose access is still on.
pub fn load(
    conn: &mut DbConnection,
    cookie_value: &str,
    now: PrimitiveDateTime,
    policy: SessionPolicy,
) -> QueryResult<Lookup> {
    let record = match session::find_live(conn, cookie_value, now, policy)? {
        Found::Live(record) => record,
        Found::Expired => return Ok(Lookup::Expired),
        Found::Unknown => return Ok(Lookup::Unknown),
    };
    let account_id = record.account_id;
    let mut member = match record.organization_id {
        Some(organization_id) => organization::member_context(conn, account_id, organization_id)?,
        None => None,
    };
    // The selected organization went away (membership ended): fall back to another one.
    if member.is_none()
        && let Some(fallback) = organization::default_for_account(conn, account_id)?
    {
        session::set_organization(conn, &record.id_hash, fallback)?;
        member = organization::member_context(conn, account_id, fallback)?;
    }
    // Without an organization, an external user's access is all the account has: when it
    // expires (a date, so nothing else notices) or is suspended, the session ends here.
    let portal_only = match member {
        Some(_) => false,
        None => match external_access::standing(conn, account_id, now)? {
            Standing::Active => true,
            Standing::NotExternal => false,
            Standing::Suspended | Standing::Expired => {
                session::delete(conn, &record.id_hash)?;
                return Ok(Lookup::AccessEnded);
            }
        },
    };
    let record = *record;
    let mut signed_in = SignedIn {
        session_hash: record.id_hash,
        account_id,
        email: record.email,
        name: record.name,
        language: record.language,
        time_zone: record.time_zone,
        csrf_token: record.csrf_token,
        member: None,
        capabilities: None,
        password_change_required: record.password_change_required,
        two_factor_pending_org: record.two_factor_pending_org,
        portal_only,
    };
    signed_in.act_in(member);
    Ok(Lookup::Valid(Box::new(signed_in)))
}

impl SignedIn {
    /// Acts in this organization (or in none), with the capabilities the member has there.
    pub fn act_in(&mut self, member: Option<MemberContext>) {
        self.capabilities = member
            .as_ref()
            .map(|member| Capabilities::of(self.account_id, member));
        self.member = member;
    }
}

/// What the caller may do in the organization they act in. Computed in one place from their
/// rights there (roles, environment access, ownership, acting as a partner user), it is the
/// only source of the guards below and of the console's navigation.
#[derive(Debug, Clone)]
pub struct Capabilities {
    organization_id: OrganizationId,
    account_id: AccountId,
    /// Administrator rights (the Admin permission), as a member or as a partner user.
    admin: bool,
    /// The organization's owner acting as themselves (not through a partner).
    owner: bool,
    /// Admins, and members whose roles reach an environment with Execute or View Logs.
    read_users: bool,
    /// Acting as a partner user: the organization's partner relations are not theirs.
    via_partner: bool,
    /// The organization issues client tokens (a partner organization).
    partner_organization: bool,
    consume_apis: bool,
    /// Gatehouse's own API: its reference and personal access tokens (the owner always).
    use_api: bool,
}

impl Capabilities {
    pub fn of(account_id: AccountId, member: &MemberContext) -> Self {
        Self {
            organization_id: member.organization_id,
            account_id,
            admin: member.permissions.allows(Permission::Admin),
            owner: member.is_owner && member.via_partner.is_none(),
            read_users: member.may_view_users(),
            via_partner: member.via_partner.is_some(),
            partner_organization: member.is_partner_organization,
            consume_apis: member.permissions.allows(Permission::ApiConsumer),
            use_api: (member.is_owner && member.via_partner.is_none())
                || member.permissions.allows(Permission::ApiAccess),
        }
    }

    pub fn organization_id(&self) -> OrganizationId {
        self.organization_id
    }

    /// Whether the caller may open a part of the console (for the navigation).
    pub fn sees(&self, area: Area) -> bool {
        match area {
            Area::Overview | Area::Organizations => true,
            Area::Users => self.read_users,
            Area::Roles | Area::Environments | Area::Apis | Area::Policies | Area::Deliveries => {
                self.admin
            }
            Area::Partners | Area::Webhooks => self.owner,
            Area::AuditLog => self.grant::<AuditReader>().is_some(),
            Area::Clients => self.grant::<PartnerAdmin>().is_some(),
            Area::MyPartner => self.grant::<ClientAdmin>().is_some(),
            Area::Portal => self.consume_apis || self.use_api,
        }
    }

    /// The guard `G`, when the caller holds it here.
    pub fn grant<G: Guard>(&self) -> Option<G> {
        G::grant(self)
    }
}

/// The parts of the console, as the navigation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Overview,
    Users,
    Roles,
    Environments,
    Apis,
    Organizations,
    Policies,
    Deliveries,
    Partners,
    Clients,
    MyPartner,
    Portal,
    Webhooks,
    AuditLog,
}

/// Proof that the caller may do a kind of thing in one organization. Only `Capabilities`
/// hands guards out, and a guard names the organization it was made for, so a command that
/// takes one acts there and nowhere else.
pub trait Guard: Sized + Clone + Send + 'static {
    fn grant(capabilities: &Capabilities) -> Option<Self>;
    fn organization_id(&self) -> OrganizationId;
    fn account_id(&self) -> AccountId;
}

macro_rules! guards {
    ($($(#[$doc:meta])* $name:ident => |$caps:ident| $rule:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            organization_id: OrganizationId,
            account_id: AccountId,
        }

        impl Guard for $name {
            fn grant($caps: &Capabilities) -> Option<Self> {
                ($rule).then(|| Self {
                    organization_id: $caps.organization_id,
                    account_id: $caps.account_id,
                })
            }

            fn organization_id(&self) -> OrganizationId {
                self.organization_id
            }

            fn account_id(&self) -> AccountId {
                self.account_id
            }
        }
    )*};
}

guards! {
    /// Any active member of the organization (or a partner user acting in it).
    Member => |caps| true;
    /// May read the organization's users (members, external users, partner users).
    UserReader => |caps| caps.read_users;
    /// An administrator of the organization.
    Admin => |caps| caps.admin;
    /// The organization's owner, acting as themselves.
    Owner => |caps| caps.owner;
    /// An administrator acting as a member, not as a partner user: the organization's own
    /// partner relations (My Partner) are theirs to manage.
    ClientAdmin => |caps| caps.admin && !caps.via_partner;
    /// An administrator (as a member) of a partner organization: it issues client tokens.
    PartnerAdmin => |caps| caps.admin && !caps.via_partner && caps.partner_organization;
    /// May use Gatehouse's own API: read its reference, hold personal access tokens.
    ApiUser => |caps| caps.use_api;
}

/// May read the organization's audit log: an administrator acting as a member (not a partner
/// user). Owners read all of it; other administrators all but the owner's own areas.
#[derive(Debug, Clone)]
pub struct AuditReader {
    organization_id: OrganizationId,
    account_id: AccountId,
    owner: bool,
}

impl AuditReader {
    pub fn is_owner(&self) -> bool {
        self.owner
    }
}

impl Guard for AuditReader {
    fn grant(caps: &Capabilities) -> Option<Self> {
        (caps.admin && !caps.via_partner).then_some(Self {
            organization_id: caps.organization_id,
            account_id: caps.account_id,
            owner: caps.owner,
        })
    }

    fn organization_id(&self) -> OrganizationId {
        self.organization_id
    }

    fn account_id(&self) -> AccountId {
        self.account_id
    }
}

/// A guard with the facts of the request it came with: from where and when, and the name and
/// language the caller signs emails with. Commands take it, so every change knows the
/// organization it is for, who made it, and what its audit event says.
#[derive(Debug, Clone)]
pub struct Acting<G> {
    guard: G,
    /// The personal access token the request came with (None in the console).
    token_id: Option<TokenId>,
    ip: Option<String>,
    at: PrimitiveDateTime,
    name: String,
    language: Lang,
    /// A partner user's partners, for the audit events ("via Acme").
    via: Option<String>,
    trace: Trace,
}

impl<G: Guard> Acting<G> {
    pub fn new(
        guard: G,
        ip: Option<String>,
        at: PrimitiveDateTime,
        name: String,
        language: Lang,
    ) -> Self {
        Self {
            guard,
            token_id: None,
            ip,
            at,
            name,
            language,
            via: None,
            trace: Trace::default(),
        }
    }

    /// The same, with the request's id and user agent and the partners a partner user acts
    /// through, for the audit events.
    pub fn traced(mut self, trace: Trace, via: Option<String>) -> Self {
        self.trace = trace;
        self.via = via;
        self
    }

    /// The same, made with a personal access token (its audit events name it).
    pub fn through_token(mut self, token_id: TokenId) -> Self {
        self.token_id = Some(token_id);
        self
    }

    pub fn guard(&self) -> &G {
        &self.guard
    }

    pub fn organization_id(&self) -> OrganizationId {
        self.guard.organization_id()
    }

    pub fn account_id(&self) -> AccountId {
        self.guard.account_id()
    }

    pub fn at(&self) -> PrimitiveDateTime {
        self.at
    }

    /// Who made the change, for its audit event.
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: Some(self.guard.account_id()),
            ip: self.ip.clone(),
            at: self.at,
            token_id: self.token_id.map(TokenId::get),
            via: self.via.clone(),
            trace: self.trace.clone(),
        }
    }

    /// The signature of the emails the change sends (invitations, notices).
    pub fn inviter(&self) -> Inviter<'_> {
        Inviter {
            name: &self.name,
            language: self.language,
        }
    }
}

/// A signed-in account acting on its own things (its profile, its sessions, where it acts): the
/// session it came with, from where and when. Made from the `SignedIn` of the request, which only
/// `load` produces.
#[derive(Debug, Clone)]
pub struct Me {
    account_id: AccountId,
    session_hash: String,
    ip: Option<String>,
    at: PrimitiveDateTime,
    trace: Trace,
}

impl Me {
    pub fn of(signed_in: &SignedIn, ip: Option<String>, at: PrimitiveDateTime) -> Self {
        Self {
            account_id: signed_in.account_id,
            session_hash: signed_in.session_hash.clone(),
            ip,
            at,
            trace: Trace::default(),
        }
    }

    pub fn account_id(&self) -> AccountId {
        self.account_id
    }

    /// The session the request came with (kept when the others are ended).
    pub fn session_hash(&self) -> &str {
        &self.session_hash
    }

    pub fn ip(&self) -> Option<&str> {
        self.ip.as_deref()
    }

    pub fn at(&self) -> PrimitiveDateTime {
        self.at
    }

    pub fn actor(&self) -> Actor {
        Actor::person(self.account_id, self.ip.clone(), self.at).traced(self.trace.clone())
    }

    /// The same, with the request's id and user agent for the audit events.
    pub fn traced(mut self, trace: Trace) -> Self {
        self.trace = trace;
        self
    }
}

/// Someone who is not signed in (setting up, registering, asking for a reset): from where and
/// when. It grants nothing; the commands it is for check their link or token themselves.
#[derive(Debug, Clone)]
pub struct Visitor {
    origin: crate::domain::audit::Origin,
    at: PrimitiveDateTime,
}

impl Visitor {
    pub fn new(origin: crate::domain::audit::Origin, at: PrimitiveDateTime) -> Self {
        Self { origin, at }
    }

    pub fn ip(&self) -> Option<String> {
        self.origin.ip.clone()
    }

    /// The address, browser and request id, for the audit events of what the visitor does.
    pub fn origin(&self) -> &crate::domain::audit::Origin {
        &self.origin
    }

    pub fn at(&self) -> PrimitiveDateTime {
        self.at
    }
}
