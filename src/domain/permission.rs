//! What a role may grant. Stored as a bit set in `roles.permissions`, so that "which roles have X"
//! is one indexed-free integer test in both dialects and a member's rights are an OR over roles.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    Read,
    Admin,
    AgentInstall,
    ApiConsumer,
    /// Gatehouse's own JSON API: see its reference and create personal access tokens.
    ApiAccess,
    /// Deprecated: shown where present, never offered for new roles.
    AppDeveloper,
}

impl Permission {
    pub const ALL: [Permission; 6] = [
        Self::Read,
        Self::Admin,
        Self::AgentInstall,
        Self::ApiConsumer,
        Self::ApiAccess,
        Self::AppDeveloper,
    ];

    const fn bit(self) -> i32 {
        match self {
            Self::Read => 1,
            Self::Admin => 1 << 1,
            Self::AgentInstall => 1 << 2,
            Self::ApiConsumer => 1 << 3,
            Self::AppDeveloper => 1 << 4,
            Self::ApiAccess => 1 << 5,
        }
    }

    /// The message key of the permission's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Read => "permission-read",
            Self::Admin => "permission-admin",
            Self::AgentInstall => "permission-agent-install",
            Self::ApiConsumer => "permission-api-consumer",
            Self::ApiAccess => "permission-api-access",
            Self::AppDeveloper => "permission-app-developer",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Admin => "admin",
            Self::AgentInstall => "agent-install",
            Self::ApiConsumer => "api-consumer",
            Self::ApiAccess => "api-access",
            Self::AppDeveloper => "app-developer",
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Permission {
    type Err = UnknownPermission;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|permission| permission.as_str() == s)
            .ok_or_else(|| UnknownPermission(s.to_owned()))
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown permission {0:?}")]
pub struct UnknownPermission(String);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PermissionSet(i32);

impl PermissionSet {
    pub const EMPTY: Self = Self(0);

    pub fn from_bits(bits: i32) -> Self {
        Self(bits)
    }

    pub fn bits(self) -> i32 {
        self.0
    }

    pub fn of(permissions: &[Permission]) -> Self {
        Self(permissions.iter().fold(0, |bits, p| bits | p.bit()))
    }

    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether the set grants `permission`; Admin grants everything.
    pub fn allows(self, permission: Permission) -> bool {
        self.0 & Permission::Admin.bit() != 0 || self.0 & permission.bit() != 0
    }

    /// The permissions literally in the set (not the ones Admin implies).
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(move |permission| self.0 & permission.bit() != 0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_implies_everything() {
        let admin = PermissionSet::of(&[Permission::Admin]);
        assert!(Permission::ALL.iter().all(|p| admin.allows(*p)));
    }

    #[test]
    fn read_grants_only_read() {
        let read = PermissionSet::of(&[Permission::Read]);
        assert!(read.allows(Permission::Read));
        assert!(!read.allows(Permission::Admin));
        assert!(!read.allows(Permission::ApiConsumer));
    }

    #[test]
    fn union_and_round_trip() {
        let set = PermissionSet::of(&[Permission::Read])
            .union(PermissionSet::of(&[Permission::ApiConsumer]));
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![Permission::Read, Permission::ApiConsumer]
        );
        assert_eq!(PermissionSet::from_bits(set.bits()), set);
        for p in Permission::ALL {
            assert_eq!(p.as_str().parse::<Permission>().unwrap(), p);
        }
    }
}
