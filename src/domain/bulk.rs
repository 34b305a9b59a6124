//! Records that arrive many at a time (demo data, later imports), already
//! complete with their own times and statuses. Ids are assigned by the store;
//! links inside one account go by position.

use jiff::Timestamp;

use super::{CustomerDraft, Followup, Interaction, Ticket};

/// One customer with everything that belongs to it. The `id`, `customer_id`
/// and `customer` fields of the nested records are ignored: the store fills them.
#[derive(Debug, Clone)]
pub struct BulkCustomer {
    pub draft: CustomerDraft,
    pub created_at: Timestamp,
    pub tickets: Vec<Ticket>,
    pub followups: Vec<Followup>,
    pub interactions: Vec<BulkInteraction>,
}

#[derive(Debug, Clone)]
pub struct BulkInteraction {
    pub interaction: Interaction,
    /// Position in the same customer's `tickets`, when the interaction belongs to one.
    pub ticket: Option<usize>,
    /// Position in the same customer's `followups`.
    pub followup: Option<usize>,
}

/// An organization and its people, or (without organization) people on their own.
/// People get `organization_id` set to the organization by the store.
#[derive(Debug, Clone)]
pub struct Account {
    pub organization: Option<BulkCustomer>,
    pub people: Vec<BulkCustomer>,
}

impl Account {
    pub fn customer_count(&self) -> usize {
        self.people.len() + usize::from(self.organization.is_some())
    }
}
