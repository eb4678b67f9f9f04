//! The kinds several areas share: a membership's status, the built-in roles, an organization's
//! kind. Kept apart so that organizations, memberships, roles, policies and partnerships can all
//! name them without depending on each other.

use crate::domain::permission::{Permission, PermissionSet};

/// Organizations created by a partner registration: fixed roles (Admin and Member), and
/// invitations only within the partner's registered email domains.
pub const KIND_PARTNER: &str = "partner";
pub const KIND_STANDARD: &str = "standard";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipStatus {
    Active,
    Pending,
    Inactive,
}

impl MembershipStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Inactive => "inactive",
        }
    }
}

/// The roles every organization is created with; they cannot be renamed, changed or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinRole {
    Administrator,
    User,
}

impl BuiltinRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::User => "user",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Administrator => "Administrator",
            Self::User => "User",
        }
    }

    pub fn permissions(self) -> PermissionSet {
        match self {
            Self::Administrator => PermissionSet::of(&[Permission::Admin]),
            Self::User => PermissionSet::of(&[Permission::Read]),
        }
    }
}
