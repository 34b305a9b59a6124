//! Who may belong to an organization: one rule for every path in (the
//! command line, the TUI, merges and imports), so each answers the same.

use super::CustomerKind;

/// Why a customer cannot belong to the organization it names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MembershipError {
    #[error("an organization cannot belong to an organization (it names organization {0})")]
    OrganizationInOrganization(i64),
    #[error("a customer cannot be its own organization")]
    OwnOrganization,
    #[error("organization {0} not found")]
    Missing(i64),
    #[error("customer {0} is a person, not an organization")]
    Person(i64),
}

/// What can be told from the customer alone: only a person belongs to an
/// organization, and never to itself (`id`: its own id, once it has one).
/// Together with [`check_target`] this also rules out every cycle: a
/// member is a person, and what it belongs to is not.
pub fn check_member(
    kind: CustomerKind,
    id: Option<i64>,
    organization_id: Option<i64>,
) -> Result<(), MembershipError> {
    let Some(org) = organization_id else {
        return Ok(());
    };
    if kind == CustomerKind::Organization {
        return Err(MembershipError::OrganizationInOrganization(org));
    }
    if Some(org) == id {
        return Err(MembershipError::OwnOrganization);
    }
    Ok(())
}

/// What the link names must be an organization. `found`: the kind of
/// customer `org`, `None` when there is none.
pub fn check_target(org: i64, found: Option<CustomerKind>) -> Result<(), MembershipError> {
    match found {
        None => Err(MembershipError::Missing(org)),
        Some(CustomerKind::Person) => Err(MembershipError::Person(org)),
        Some(CustomerKind::Organization) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CustomerKind::{Organization, Person};

    #[test]
    fn only_a_person_belongs_and_only_to_an_organization() {
        assert_eq!(check_member(Person, Some(1), None), Ok(()));
        assert_eq!(check_member(Organization, Some(1), None), Ok(()));
        assert_eq!(check_member(Person, Some(1), Some(2)), Ok(()));
        assert_eq!(check_member(Person, None, Some(2)), Ok(()));
        assert_eq!(
            check_member(Person, Some(2), Some(2)),
            Err(MembershipError::OwnOrganization)
        );
        assert_eq!(
            check_member(Organization, Some(1), Some(2)),
            Err(MembershipError::OrganizationInOrganization(2))
        );
        assert_eq!(
            check_member(Organization, Some(1), Some(1)),
            Err(MembershipError::OrganizationInOrganization(1))
        );
        assert_eq!(check_target(2, Some(Organization)), Ok(()));
        assert_eq!(
            check_target(2, Some(Person)),
            Err(MembershipError::Person(2))
        );
        assert_eq!(check_target(2, None), Err(MembershipError::Missing(2)));
    }
}
