//! The kinds several areas share: a membership's status, the built-in roles, an organization's
//! kind. Kept apart so that organizations, memberships, roles, policies and partnerships can all
//! name them without depending on each other.

use crate::domain::permission::{Permission, PermissionSet};

use crate::domain::stored::stored_enum;

stored_enum! {
    pub enum OrganizationKind {
        Standard = "standard",
        /// Created by a partner registration: fixed roles (Admin and Member), and invitations
        /// only within the partner's registered email domains.
        Partner = "partner",
    }
}

stored_enum! {
    pub enum MembershipStatus {
        Active = "active",
        /// Invited, not registered yet.
        Pending = "pending",
        Inactive = "inactive",
    }
}

stored_enum! {
    /// The roles every organization is created with; they cannot be renamed, changed or removed.
    pub enum BuiltinRole {
        Administrator = "administrator",
        User = "user",
    }
}

impl BuiltinRole {
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
