//! `customer_stats` of a fresh load, counted from the records in hand as
//! they are written instead of read back in a grouped recount (which, at a
//! million customers, read every table again). The rules are those of the
//! recount in `stats.rs`, which `check` still compares with; the load's
//! records are all live (it writes no `deleted_at`).

use jiff::Timestamp;
use jiff::civil::Date;

use crate::domain::bulk::BulkCustomer;
use crate::domain::{FollowupKind, FollowupStatus, TicketStatus};

/// A customer's figures, or an account's (its own and its people's).
#[derive(Default, Clone)]
pub(super) struct Figures {
    pub open_tickets: i64,
    pub first_open_due: Option<Timestamp>,
    pub last_open_due: Option<Timestamp>,
    pub planned_followups: i64,
    pub next_followup_on: Option<Date>,
    pub last_followup_on: Option<Date>,
    pub planned_renewals: i64,
    pub next_renewal_on: Option<Date>,
    pub last_renewal_on: Option<Date>,
    pub last_contact_at: Option<Timestamp>,
    pub rated_tickets: i64,
    pub csat_sum: i64,
    pub first_rated_at: Option<Timestamp>,
    pub last_rated_at: Option<Timestamp>,
}

/// The lesser and the greater of what is there. Times are stored as
/// fixed-width text, so their order is the order of the text SQL compares.
fn widen<T: Ord + Copy>(first: &mut Option<T>, last: &mut Option<T>, at: T) {
    *first = Some(first.map_or(at, |f| f.min(at)));
    *last = Some(last.map_or(at, |l| l.max(at)));
}

fn widen_by<T: Ord + Copy>(
    first: &mut Option<T>,
    last: &mut Option<T>,
    other: (Option<T>, Option<T>),
) {
    if let Some(f) = other.0 {
        *first = Some(first.map_or(f, |x| x.min(f)));
    }
    if let Some(l) = other.1 {
        *last = Some(last.map_or(l, |x| x.max(l)));
    }
}

impl Figures {
    /// `c`'s own figures, from its live records.
    pub(super) fn own(c: &BulkCustomer) -> Figures {
        let mut f = Figures::default();
        for t in c.tickets.iter().filter(|t| t.deleted_at.is_none()) {
            // Counted by when it next needs us, as the recount does.
            let open = TicketStatus::OPEN.contains(&t.status);
            if let Some(due) = t.attention_due().filter(|_| open) {
                f.open_tickets += 1;
                widen(&mut f.first_open_due, &mut f.last_open_due, due);
            }
            if let (Some(csat), Some(resolved)) = (t.csat, t.resolved_at) {
                f.rated_tickets += 1;
                f.csat_sum += i64::from(csat);
                widen(&mut f.first_rated_at, &mut f.last_rated_at, resolved);
            }
        }
        for u in c.followups.iter().filter(|u| u.deleted_at.is_none()) {
            if u.status != FollowupStatus::Planned {
                continue;
            }
            if u.kind == FollowupKind::Renewal {
                f.planned_renewals += 1;
                widen(&mut f.next_renewal_on, &mut f.last_renewal_on, u.due_on);
            } else {
                f.planned_followups += 1;
                widen(&mut f.next_followup_on, &mut f.last_followup_on, u.due_on);
            }
        }
        f.last_contact_at = c
            .interactions
            .iter()
            .map(|i| &i.interaction)
            .filter(|i| i.deleted_at.is_none())
            .map(|i| i.occurred_at)
            .max();
        f
    }

    /// Counts `other` (a live person's figures) in this account too.
    pub(super) fn add(&mut self, other: &Figures) {
        self.open_tickets += other.open_tickets;
        widen_by(
            &mut self.first_open_due,
            &mut self.last_open_due,
            (other.first_open_due, other.last_open_due),
        );
        self.planned_followups += other.planned_followups;
        widen_by(
            &mut self.next_followup_on,
            &mut self.last_followup_on,
            (other.next_followup_on, other.last_followup_on),
        );
        self.planned_renewals += other.planned_renewals;
        widen_by(
            &mut self.next_renewal_on,
            &mut self.last_renewal_on,
            (other.next_renewal_on, other.last_renewal_on),
        );
        self.last_contact_at = self.last_contact_at.max(other.last_contact_at);
        self.rated_tickets += other.rated_tickets;
        self.csat_sum += other.csat_sum;
        widen_by(
            &mut self.first_rated_at,
            &mut self.last_rated_at,
            (other.first_rated_at, other.last_rated_at),
        );
    }

    /// Whether the account has a row: something to count (as the recount's HAVING).
    pub(super) fn counts(&self) -> bool {
        self.open_tickets > 0
            || self.planned_followups > 0
            || self.planned_renewals > 0
            || self.last_contact_at.is_some()
            || self.rated_tickets > 0
    }
}
