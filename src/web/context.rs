//! Per-request facts the session middleware works out once (language, CSRF token, who is signed
//! in, where they act), and the extractors handlers use to ask for them.

use std::future::{Ready, ready};
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::app::access::{Acting, Area, Capabilities, Guard, Me, SignedIn, Visitor};
use crate::domain::organization::MemberContext;
use crate::error::AppError;
use crate::i18n::format::Viewer;
use crate::i18n::{Lang, Tr};

#[derive(Debug, Clone)]
pub struct RequestContext {
    pub lang: Lang,
    /// The token forms and htmx requests must send back: the session's, or the anonymous one.
    pub csrf_token: String,
    pub signed_in: Option<Arc<SignedIn>>,
    /// A message key left by the previous request (after a redirect).
    pub flash: Option<String>,
    /// The cookie named a session that ended on its own (timed out, or its access ended): the
    /// message that says why.
    pub session_ended: Option<&'static str>,
    pub client_ip: Option<String>,
    /// The request's id and user agent, for the audit events of what it changes.
    pub trace: crate::domain::audit::Trace,
}

impl RequestContext {
    pub fn tr(&self) -> Tr {
        Tr(self.lang)
    }

    /// Someone not signed in, for a command made at `at` (setup, registration, reset).
    pub fn visitor(&self, at: time::PrimitiveDateTime) -> Visitor {
        Visitor::new(self.origin(), at)
    }

    /// The request's address and trace, for the audit events of a visitor's actions.
    pub fn origin(&self) -> crate::domain::audit::Origin {
        crate::domain::audit::Origin {
            ip: self.client_ip.clone(),
            trace: self.trace.clone(),
        }
    }

    /// Who reads the page: their language and time zone (their profile's, else UTC).
    pub fn viewer(&self) -> Viewer {
        Viewer {
            lang: self.lang,
            zone: self
                .signed_in
                .as_ref()
                .and_then(|signed_in| signed_in.time_zone.clone())
                .filter(|zone| !zone.is_empty())
                .unwrap_or_else(|| "UTC".to_owned()),
        }
    }
}

impl FromRequest for RequestContext {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<RequestContext>()
                .cloned()
                .ok_or_else(|| AppError::Internal("session middleware not installed".into())),
        )
    }
}

/// A signed-in account, whether or not it acts in an organization.
#[derive(Debug, Clone)]
pub struct CurrentAccount {
    pub ctx: RequestContext,
    pub account: Arc<SignedIn>,
}

impl FromRequest for CurrentAccount {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        ready(
            RequestContext::from_request(req, payload)
                .into_inner()
                .and_then(|ctx| {
                    let account = ctx.signed_in.clone().ok_or(AppError::SignInRequired)?;
                    Ok(Self { ctx, account })
                }),
        )
    }
}

impl CurrentAccount {
    /// The account acting on its own things, for a command made at `at`.
    pub fn me(&self, at: time::PrimitiveDateTime) -> Me {
        Me::of(&self.account, self.ctx.client_ip.clone(), at).traced(self.ctx.trace.clone())
    }
}

/// A signed-in account acting as an active member of its current organization, with the rights
/// its active roles give there and the capabilities they amount to.
#[derive(Debug, Clone)]
pub struct CurrentMember {
    pub ctx: RequestContext,
    pub account: Arc<SignedIn>,
    pub member: MemberContext,
    pub capabilities: Capabilities,
}

impl CurrentMember {
    pub fn organization_id(&self) -> crate::domain::ids::OrganizationId {
        self.member.organization_id
    }

    /// Who is acting, for the audit events of a change made now.
    pub fn actor(&self, at: time::PrimitiveDateTime) -> crate::domain::audit::Actor {
        crate::domain::audit::Actor {
            account_id: Some(self.account.account_id),
            ip: self.ctx.client_ip.clone(),
            at,
            token_id: None,
            via: self.member.via_partner.clone(),
            trace: self.ctx.trace.clone(),
        }
    }

    /// The account acting on its own things, for a command made at `at`.
    pub fn me(&self, at: time::PrimitiveDateTime) -> Me {
        Me::of(&self.account, self.ctx.client_ip.clone(), at).traced(self.ctx.trace.clone())
    }

    /// Whether the member may open a part of the console.
    pub fn sees(&self, area: Area) -> bool {
        self.capabilities.sees(area)
    }

    /// The language of emails the member sends: their own preference, else the page's.
    pub fn mail_language(&self) -> Lang {
        self.account
            .language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or(self.ctx.lang)
    }

    /// Whether the member holds the guard `G` here (to show or hide what it allows).
    pub fn holds<G: Guard>(&self) -> bool {
        self.capabilities.grant::<G>().is_some()
    }
}

impl TryFrom<CurrentAccount> for CurrentMember {
    type Error = AppError;

    /// The account acting in its current organization, or `NoOrganization`.
    fn try_from(CurrentAccount { ctx, account }: CurrentAccount) -> Result<Self, AppError> {
        let member = account.member.clone().ok_or(AppError::NoOrganization)?;
        let capabilities = account
            .capabilities
            .clone()
            .ok_or(AppError::NoOrganization)?;
        Ok(Self {
            ctx,
            account,
            member,
            capabilities,
        })
    }
}

impl FromRequest for CurrentMember {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        ready(
            CurrentAccount::from_request(req, payload)
                .into_inner()
                .and_then(Self::try_from),
        )
    }
}

/// A member holding the guard `G` in their current organization (`Guarded<Admin>`,
/// `Guarded<Owner>`, ...); anyone else is refused with 403 before the handler runs. It derefs to
/// the `CurrentMember`; `guard` is what the application's commands take.
#[derive(Debug, Clone)]
pub struct Guarded<G> {
    pub caller: CurrentMember,
    pub guard: G,
}

impl<G> std::ops::Deref for Guarded<G> {
    type Target = CurrentMember;

    fn deref(&self) -> &CurrentMember {
        &self.caller
    }
}

impl<G: Guard> Guarded<G> {
    /// The guard with this request's facts, for a command made at `at`.
    pub fn acting(&self, at: time::PrimitiveDateTime) -> Acting<G> {
        Acting::new(
            self.guard.clone(),
            self.ctx.client_ip.clone(),
            at,
            self.account.name.clone(),
            self.caller.mail_language(),
        )
        .traced(
            self.caller.ctx.trace.clone(),
            self.caller.member.via_partner.clone(),
        )
    }
}

impl<G: Guard> FromRequest for Guarded<G> {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        ready(
            CurrentMember::from_request(req, payload)
                .into_inner()
                .and_then(|caller| {
                    let guard = caller
                        .capabilities
                        .grant::<G>()
                        .ok_or(AppError::Forbidden)?;
                    Ok(Self { caller, guard })
                }),
        )
    }
}
