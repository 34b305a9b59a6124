use std::collections::HashSet;

use super::rng::{Rng, permute};
use super::*;
use crate::domain::bulk::BulkCustomer;
use crate::domain::interaction::MAX_SUMMARY;
use crate::domain::ticket::MAX_SUBJECT;
use crate::domain::{
    Followup, FollowupDraft, FollowupStatus, InteractionDraft, Ticket, TicketDraft,
};

fn now() -> Timestamp {
    "2026-11-25T10:00:00Z".parse().unwrap()
}

fn demo(customers: usize, seed: u64) -> DemoGenerator {
    let tz = TimeZone::fixed(jiff::tz::offset(1));
    DemoGenerator::new(customers, seed, now(), tz, SlaPolicy::default())
}

fn customers(accounts: &[Account]) -> impl Iterator<Item = &BulkCustomer> {
    accounts
        .iter()
        .flat_map(|a| a.organization.iter().chain(&a.people))
}

fn debug(accounts: impl Iterator<Item = Account>) -> Vec<String> {
    accounts.map(|a| format!("{a:?}")).collect()
}

#[test]
fn same_seed_same_data() {
    assert_eq!(debug(demo(1000, 7)), debug(demo(1000, 7)));
    // A prefix does not depend on how many customers were asked for.
    assert_eq!(debug(demo(1000, 7).take(50)), debug(demo(5000, 7).take(50)));
}

#[test]
fn different_seeds_differ() {
    let a = debug(demo(200, 1));
    let b = debug(demo(200, 2));
    assert_ne!(a, b);
    assert_ne!(a[0], b[0]);
}

#[test]
fn exact_customer_count() {
    for n in [0, 1, 2, 7, 1000, 4321] {
        let accounts: Vec<Account> = demo(n, 3).collect();
        assert_eq!(
            accounts.iter().map(Account::customer_count).sum::<usize>(),
            n,
            "{n}"
        );
        for a in &accounts {
            assert!(a.customer_count() > 0);
            assert!(
                a.people
                    .iter()
                    .all(|p| p.draft.kind == CustomerKind::Person)
            );
            match &a.organization {
                Some(org) => {
                    assert_eq!(org.draft.kind, CustomerKind::Organization);
                    assert!(a.people.len() <= 8);
                }
                None => assert_eq!(a.people.len(), 1),
            }
        }
    }
}

#[test]
fn drafts_pass_validation() {
    let accounts: Vec<Account> = demo(2000, 11).collect();
    for c in customers(&accounts) {
        let d = &c.draft;
        // Already in canonical form: validation accepts it unchanged.
        assert_eq!(d.clone().normalized(), Ok(d.clone()));
        let email = d.email.as_deref().unwrap_or("x@a.example");
        assert!(email.is_ascii() && email.contains('@'), "{email}");
        assert!(
            email.ends_with(".example") || email.contains("@example."),
            "{email}"
        );
        assert!(d.tags.len() <= 2);
        for t in &c.tickets {
            assert!(!t.subject.is_empty() && t.subject.chars().count() <= MAX_SUBJECT);
            let draft = TicketDraft {
                customer_id: 0,
                subject: t.subject.clone(),
                body: t.body.clone(),
                priority: t.priority,
                channel: t.channel,
                assignee: t.assignee.clone(),
            };
            assert_eq!(draft.clone().normalized(), Ok(draft));
        }
        for f in &c.followups {
            let draft = FollowupDraft {
                customer_id: 0,
                kind: f.kind,
                due_on: f.due_on,
                recurrence: f.recurrence,
                note: f.note.clone(),
                assignee: f.assignee.clone(),
            };
            assert_eq!(draft.clone().normalized(), Ok(draft));
        }
        for b in &c.interactions {
            let i = &b.interaction;
            assert!(!i.summary.is_empty() && i.summary.chars().count() <= MAX_SUMMARY);
            let draft = InteractionDraft {
                customer_id: 0,
                ticket_id: None,
                followup_id: None,
                kind: i.kind,
                direction: i.direction,
                occurred_at: i.occurred_at,
                summary: i.summary.clone(),
                body: i.body.clone(),
            };
            assert_eq!(draft.clone().normalized(), Ok(draft));
            assert!(b.ticket.is_none_or(|t| t < c.tickets.len()));
            assert!(b.followup.is_none_or(|f| f < c.followups.len()));
            if i.kind == InteractionKind::Note {
                assert_eq!(i.direction, Direction::Internal);
            }
        }
    }
}

#[test]
fn tickets_and_followups_keep_their_rules() {
    let sla = SlaPolicy::default();
    let accounts: Vec<Account> = demo(3000, 5).collect();
    for c in customers(&accounts) {
        for (n, t) in c.tickets.iter().enumerate() {
            assert_eq!(t.resolved_at.is_some(), t.status.is_finished(), "{t:?}");
            assert!(
                t.csat
                    .is_none_or(|s| t.status.is_finished() && (1..=5).contains(&s))
            );
            assert!(t.first_response_at.is_none_or(|f| f > t.opened_at));
            assert!(t.resolved_at.is_none_or(|r| r > t.opened_at));
            if let (Some(f), Some(r)) = (t.first_response_at, t.resolved_at) {
                assert!(f < r);
            }
            if t.status == TicketStatus::New {
                assert_eq!(t.first_response_at, None);
            }
            assert_eq!(t.due_at, sla.resolution_due(t.opened_at, t.priority));
            let linked: Vec<&Interaction> = c
                .interactions
                .iter()
                .filter(|b| b.ticket == Some(n))
                .map(|b| &b.interaction)
                .collect();
            assert!(
                linked
                    .iter()
                    .any(|i| i.direction == Direction::Inbound && i.occurred_at == t.opened_at)
            );
            let first_out = linked
                .iter()
                .filter(|i| i.direction == Direction::Outbound)
                .map(|i| i.occurred_at)
                .min();
            assert_eq!(first_out, t.first_response_at);
        }
        for (n, f) in c.followups.iter().enumerate() {
            assert_eq!(
                f.completed_at.is_some(),
                f.status != FollowupStatus::Planned
            );
            let logged = c.interactions.iter().any(|b| b.followup == Some(n));
            assert_eq!(logged, f.status == FollowupStatus::Done);
        }
    }
}

#[test]
fn nothing_happens_after_now_and_times_are_whole_seconds() {
    let now = now();
    let accounts: Vec<Account> = demo(3000, 9).collect();
    for c in customers(&accounts) {
        let mut times = vec![c.created_at];
        for t in &c.tickets {
            times.extend([t.opened_at, t.created_at, t.updated_at]);
            times.extend(t.first_response_at.into_iter().chain(t.resolved_at));
            assert_eq!(t.due_at.subsec_nanosecond(), 0);
        }
        for f in &c.followups {
            times.extend([f.created_at, f.updated_at]);
            times.extend(f.completed_at);
        }
        for b in &c.interactions {
            let i = &b.interaction;
            times.extend([i.occurred_at, i.created_at, i.updated_at]);
        }
        for at in times {
            assert!(at <= now, "{at} is after {now}");
            assert!(
                at >= c.created_at,
                "{at} is before the customer existed ({})",
                c.created_at
            );
            assert_eq!(at.subsec_nanosecond(), 0);
        }
    }
}

#[test]
fn the_prng_never_changes() {
    let mut rng = Rng::new(42);
    let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
    assert_eq!(
        first,
        [
            1546998764402558742,
            6990951692964543102,
            12544586762248559009
        ]
    );
}

#[test]
fn permute_is_a_bijection() {
    for n in [1, 2, 3, 10, 1000, 4097] {
        let mut seen: Vec<u64> = (0..n).map(|x| permute(x, n, 0xDEAD_BEEF)).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..n).collect::<Vec<_>>());
    }
}

#[test]
fn company_names_do_not_repeat() {
    let mut generator = demo(0, 1);
    let mut seen = HashSet::new();
    for _ in 0..100_000 {
        let name = generator.company_name();
        assert!(seen.insert(name.clone()), "{name} twice");
    }
}

#[test]
fn proportions_look_real() {
    let now = now();
    let accounts: Vec<Account> = demo(20_000, 42).collect();
    let orgs = accounts.iter().filter(|a| a.organization.is_some()).count();
    let loners = accounts.iter().filter(|a| a.organization.is_none()).count();
    let all: Vec<&BulkCustomer> = customers(&accounts).collect();
    let interactions: usize = all.iter().map(|c| c.interactions.len()).sum();
    let tickets: Vec<&Ticket> = all.iter().flat_map(|c| &c.tickets).collect();
    let followups: Vec<&Followup> = all.iter().flat_map(|c| &c.followups).collect();
    let breaching = tickets
        .iter()
        .filter(|t| t.is_breached(&SlaPolicy::default(), now))
        .count();
    let today = now
        .to_zoned_datetime(TimeZone::fixed(jiff::tz::offset(1)))
        .date();
    let overdue = followups
        .iter()
        .filter(|f| f.status.is_open() && f.due_on < today)
        .count();
    let recurring = followups.iter().filter(|f| f.recurrence.is_some()).count();
    let with_tickets = all.iter().filter(|c| !c.tickets.is_empty()).count();
    let per_customer = interactions as f64 / 20_000.0;
    println!(
        "orgs {orgs}, loners {loners}, interactions/customer {per_customer:.2}, tickets {}, \
         people with tickets {with_tickets}, breaching {breaching}, follow-ups {}, overdue {overdue}, \
         recurring {recurring}",
        tickets.len(),
        followups.len(),
    );
    assert!((3000..5000).contains(&orgs), "{orgs}");
    assert!((1000..3000).contains(&loners), "{loners}");
    assert!((3.5..6.5).contains(&per_customer), "{per_customer}");
    assert!(breaching > 0 && breaching < tickets.len() / 10);
    assert!(overdue > 0 && overdue < followups.len() / 3);
    assert!(recurring * 10 > followups.len() && recurring * 2 < followups.len());
}

/// `cargo test --release --lib demo::tests::speed -- --ignored --nocapture`
#[test]
#[ignore = "timing, run by hand in release"]
fn speed() {
    for customers in [100_000, 1_000_000] {
        let started = std::time::Instant::now();
        let mut interactions = 0;
        for account in demo(customers, 1) {
            for c in account.organization.iter().chain(&account.people) {
                interactions += c.interactions.len();
            }
        }
        let took = started.elapsed();
        println!("{customers} customers, {interactions} interactions in {took:?}");
    }
}
