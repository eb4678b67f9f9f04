//! The data the two layouts need: `Shell` for the console (top bar, navigation, messages) and
//! `AuthShell` for the signed-out pages (sign-in, setup, errors).

use crate::app::access::Area;
use crate::assets::asset_url;
use crate::domain::ids::OrganizationId;
use crate::domain::organization::OrganizationChoice;
use crate::i18n::Tr;
use crate::web::context::{CurrentAccount, CurrentMember, RequestContext};

/// A message shown once, in the messages region.
#[derive(Debug, Clone)]
pub struct Flash {
    /// `success`, `info` or `error`: the toast's style.
    pub kind: &'static str,
    pub text: String,
}

impl Flash {
    pub fn success(text: String) -> Self {
        Self {
            kind: "success",
            text,
        }
    }

    pub fn error(text: String) -> Self {
        Self {
            kind: "error",
            text,
        }
    }

    /// Flash cookies carry a catalog key (with `error:` in front for refusals), never free
    /// text, so they cannot inject content; keys the catalog does not know are ignored.
    fn from_key(tr: Tr, value: &str) -> Option<Self> {
        let (kind, key) = match value.strip_prefix("error:") {
            Some(key) => ("error", key),
            None if matches!(
                value,
                "flash-session-expired" | "flash-sign-in-required" | "flash-access-ended"
            ) =>
            {
                ("info", value)
            }
            None => ("success", value),
        };
        tr.has(key).then(|| Self {
            kind,
            text: tr.t(key),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavPage {
    Overview,
    Users,
    Roles,
    Environments,
    /// The API catalog (APIs and API groups).
    Apis,
    Organizations,
    Policies,
    Deliveries,
    /// The account's own page (reached from the user menu, not the side navigation).
    Profile,
    /// The API portal (external users, and members who consume APIs).
    Portal,
    /// Partner companies the organization registered (its owner only).
    Partners,
    /// A partner organization's client tokens.
    Clients,
    /// The client side of client tokens: the partners the organization accepted.
    MyPartner,
    /// The organization's webhooks (its owner only).
    Webhooks,
    /// The audit log (administrators).
    AuditLog,
}

pub struct NavItem {
    pub href: &'static str,
    pub label_key: &'static str,
    pub icon: &'static str,
    pub current: bool,
}

pub struct Shell {
    pub lang_tag: &'static str,
    pub csrf_token: String,
    pub css_url: String,
    pub icon_url: String,
    pub htmx_url: String,
    pub js_url: String,
    pub user_name: String,
    pub user_initials: String,
    pub user_email: String,
    pub organization_id: Option<OrganizationId>,
    pub organization_name: Option<String>,
    /// Acting in a client as a partner user: the partner the access comes through.
    pub organization_via: Option<String>,
    pub organizations: Vec<OrganizationChoice>,
    pub nav: Vec<NavItem>,
    pub flash: Option<Flash>,
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

impl Shell {
    /// Whether the navigation offers the audit log (for the Activity links of the things in it).
    pub fn reads_audit(&self) -> bool {
        self.nav.iter().any(|item| item.href == "/audit")
    }

    pub fn is_current_organization(&self, id: impl std::borrow::Borrow<OrganizationId>) -> bool {
        self.organization_id == Some(*id.borrow())
    }

    pub fn new(
        member: &CurrentMember,
        organizations: Vec<OrganizationChoice>,
        page: NavPage,
    ) -> Self {
        let ctx = &member.ctx;
        let nav = [
            (
                NavPage::Overview,
                Area::Overview,
                "/",
                "nav-overview",
                "home",
            ),
            (NavPage::Users, Area::Users, "/users", "nav-users", "users"),
            (NavPage::Roles, Area::Roles, "/roles", "nav-roles", "shield"),
            (
                NavPage::Environments,
                Area::Environments,
                "/environments",
                "nav-environments",
                "settings",
            ),
            (NavPage::Apis, Area::Apis, "/apis", "apis-nav", "api"),
            (
                NavPage::Organizations,
                Area::Organizations,
                "/organizations",
                "nav-organizations",
                "organization",
            ),
            (
                NavPage::Policies,
                Area::Policies,
                "/policies",
                "nav-policies",
                "security",
            ),
            (
                NavPage::Deliveries,
                Area::Deliveries,
                "/deliveries",
                "nav-deliveries",
                "mail",
            ),
            (
                NavPage::AuditLog,
                Area::AuditLog,
                "/audit",
                "nav-audit",
                "audit",
            ),
            (
                NavPage::Webhooks,
                Area::Webhooks,
                "/webhooks",
                "nav-webhooks",
                "api",
            ),
            (
                NavPage::Partners,
                Area::Partners,
                "/partners",
                "nav-partners",
                "org",
            ),
            (
                NavPage::Clients,
                Area::Clients,
                "/clients",
                "nav-clients",
                "key",
            ),
            (
                NavPage::MyPartner,
                Area::MyPartner,
                "/my-partner",
                "nav-my-partner",
                "shield",
            ),
            (
                NavPage::Portal,
                Area::Portal,
                "/portal",
                "nav-portal",
                "api",
            ),
        ]
        .into_iter()
        .filter(|(_, area, _, _, _)| member.sees(*area))
        .map(|(item, _, href, label_key, icon)| NavItem {
            href,
            label_key,
            icon,
            current: item == page,
        })
        .collect();
        Self {
            lang_tag: ctx.lang.tag(),
            csrf_token: ctx.csrf_token.clone(),
            css_url: asset_url("app.css"),
            icon_url: asset_url("favicon.svg"),
            htmx_url: asset_url("htmx.min.js"),
            js_url: asset_url("app.js"),
            user_name: member.account.name.clone(),
            user_initials: initials(&member.account.name),
            user_email: member.account.email.clone(),
            organization_id: Some(member.organization_id()),
            organization_name: Some(member.member.organization_name.clone()),
            organization_via: member.member.via_partner.clone(),
            organizations,
            nav,
            flash: ctx
                .flash
                .as_deref()
                .and_then(|key| Flash::from_key(ctx.tr(), key)),
        }
    }

    /// The shell for a page any signed-in account may open (the profile): the console's
    /// navigation when the account acts in an organization, none when it has no organization.
    pub fn for_account(
        account: &CurrentAccount,
        organizations: Vec<OrganizationChoice>,
        page: NavPage,
    ) -> Self {
        if let Ok(member) = CurrentMember::try_from(account.clone()) {
            return Self::new(&member, organizations, page);
        }
        let ctx = &account.ctx;
        Self {
            lang_tag: ctx.lang.tag(),
            csrf_token: ctx.csrf_token.clone(),
            css_url: asset_url("app.css"),
            icon_url: asset_url("favicon.svg"),
            htmx_url: asset_url("htmx.min.js"),
            js_url: asset_url("app.js"),
            user_name: account.account.name.clone(),
            user_initials: initials(&account.account.name),
            user_email: account.account.email.clone(),
            organization_id: None,
            organization_name: None,
            organization_via: None,
            organizations: Vec::new(),
            // An external user has the portal and nothing else.
            nav: if account.account.portal_only {
                vec![NavItem {
                    href: "/portal",
                    label_key: "nav-portal",
                    icon: "api",
                    current: page == NavPage::Portal,
                }]
            } else {
                Vec::new()
            },
            flash: ctx
                .flash
                .as_deref()
                .and_then(|key| Flash::from_key(ctx.tr(), key)),
        }
    }
}

pub struct AuthShell {
    pub lang_tag: &'static str,
    pub csrf_token: String,
    pub css_url: String,
    pub icon_url: String,
    pub js_url: String,
    pub flash: Option<Flash>,
}

impl AuthShell {
    pub fn new(ctx: &RequestContext) -> Self {
        let flash_key = ctx.session_ended.or(ctx.flash.as_deref());
        Self {
            lang_tag: ctx.lang.tag(),
            csrf_token: ctx.csrf_token.clone(),
            css_url: asset_url("app.css"),
            icon_url: asset_url("favicon.svg"),
            js_url: asset_url("app.js"),
            flash: flash_key.and_then(|key| Flash::from_key(ctx.tr(), key)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_two_words() {
        assert_eq!(initials("ada byron lovelace"), "AB");
        assert_eq!(initials("Zoë"), "Z");
        assert_eq!(initials(""), "");
    }
}
