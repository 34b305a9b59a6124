//! Realistic, deterministic demo data (`tuicrm demo`). Pure: no I/O, no clock;
//! the same seed and `now` always give the same accounts, whatever crate
//! versions are in use, because the PRNG is written out here.
//!
//! Accounts stream one at a time so a million customers never sit in memory.

mod activity;
mod rng;
#[cfg(test)]
mod tests;
#[rustfmt::skip] // Hand-packed lists; one word per line would triple the file.
mod words;

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::domain::bulk::{Account, BulkCustomer};
use crate::domain::{
    Channel, CustomerDraft, CustomerKind, Direction, FollowupKind, Interaction, InteractionKind,
    Money, Priority, SlaPolicy, Stage, TicketStatus,
};
use rng::{Rng, permute};
use words::*;

const MIN: i64 = 60;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
/// Calendar dates are looked up in a table of today ± this many days, which
/// is cheaper than date arithmetic per record and covers every date we make.
const DATE_SPAN: i64 = 400;

/// Lowercase ASCII for e-mail addresses and domains: "Łukasz" → "lukasz".
/// `sep` replaces spaces and `&`; apostrophes and dots vanish.
fn fold_into(out: &mut String, text: &str, sep: Option<char>) {
    for c in text.chars() {
        let folded = match c.to_lowercase().next().unwrap_or(c) {
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'ę' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
            'ł' => "l",
            'ñ' | 'ń' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => "o",
            'ś' | 'š' | 'ş' => "s",
            'ß' => "ss",
            'ù' | 'ú' | 'û' | 'ü' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            'ğ' => "g",
            ' ' | '&' | '-' => match sep {
                Some(sep) if !out.is_empty() && !out.ends_with(sep) => {
                    out.push(sep);
                    continue;
                }
                _ => continue,
            },
            _ => continue,
        };
        out.push_str(folded);
    }
}

/// "王|wang" → ("王", "wang"); plain entries fold themselves.
fn script(entry: &'static str) -> (&'static str, &'static str) {
    entry.split_once('|').unwrap_or((entry, entry))
}

fn ts(second: i64) -> Timestamp {
    Timestamp::from_second(second).expect("demo times stay near `now`")
}

fn interaction(at: i64, kind: InteractionKind, direction: Direction, summary: &str) -> Interaction {
    Interaction {
        id: 0,
        customer_id: 0,
        customer: None,
        ticket_id: None,
        followup_id: None,
        kind,
        direction,
        occurred_at: ts(at),
        summary: summary.to_string(),
        body: None,
        created_at: ts(at),
        updated_at: ts(at),
        deleted_at: None,
    }
}

/// What an organization's people share with it.
#[derive(Clone, Copy)]
struct Profile {
    stage: Stage,
    segment: Option<&'static str>,
    owner: &'static str,
    created: i64,
}

/// People per organization, skewed small: with two accounts in three being
/// organizations (mean ~3.6 people) ~20% of customers are organizations and
/// ~10% are people on their own.
const PEOPLE_PER_ORG: &[(usize, u32)] =
    &[(2, 32), (3, 26), (4, 18), (5, 10), (6, 7), (7, 4), (8, 3)];
const STAGES: &[(Stage, u32)] = &[
    (Stage::Active, 55),
    (Stage::AtRisk, 13),
    (Stage::Prospect, 12),
    (Stage::Onboarding, 10),
    (Stage::Churned, 10),
];
const SEGMENTS: &[(&str, u32)] = &[("SMB", 55), ("Mid-Market", 30), ("Enterprise", 15)];
const PRIORITIES: &[(Priority, u32)] = &[
    (Priority::Normal, 55),
    (Priority::Low, 20),
    (Priority::High, 18),
    (Priority::Urgent, 7),
];
const CHANNELS: &[(Channel, u32)] = &[
    (Channel::Email, 40),
    (Channel::Web, 20),
    (Channel::Chat, 20),
    (Channel::Phone, 15),
    (Channel::Other, 5),
];
const CSAT: &[(u8, u32)] = &[(5, 45), (4, 30), (3, 12), (2, 7), (1, 6)];

/// Status by ticket age: fresh tickets are still being worked, old ones are
/// mostly done (the few old open ones are the SLA breaches).
fn ticket_statuses(age: i64) -> &'static [(TicketStatus, u32)] {
    use TicketStatus::*;
    match age {
        a if a < DAY => &[(New, 35), (Open, 40), (Pending, 10), (Resolved, 15)],
        a if a < 7 * DAY => &[
            (New, 5),
            (Open, 25),
            (Pending, 20),
            (Resolved, 35),
            (Closed, 15),
        ],
        a if a < 30 * DAY => &[(Open, 4), (Pending, 5), (Resolved, 41), (Closed, 50)],
        _ => &[(Open, 1), (Pending, 1), (Resolved, 30), (Closed, 68)],
    }
}

/// Streams [`Account`]s: organizations with their people, and people on their own.
pub struct DemoGenerator {
    rng: Rng,
    remaining: usize,
    /// Organizations and standalone people made so far: they keep company
    /// names and webmail addresses unique.
    orgs: u64,
    loners: u64,
    name_key: u64,
    now: i64,
    /// Today's local midnight; `midnight + k * DAY` is close enough to day `k`
    /// for demo data (a DST hour does not matter).
    midnight: i64,
    dates: Vec<Date>,
    sla: SlaPolicy,
}

impl DemoGenerator {
    /// `customers`: total number of customers to produce (organizations + people), exactly.
    /// `seed`: same seed + same now => identical output.
    /// `now`: the instant data is relative to (recent interactions, due dates around today).
    /// `tz`: to compute today's date. `sla`: to compute ticket due_at via sla.resolution_due(opened_at, priority).
    pub fn new(
        customers: usize,
        seed: u64,
        now: Timestamp,
        tz: TimeZone,
        sla: SlaPolicy,
    ) -> DemoGenerator {
        let mut rng = Rng::new(seed);
        let name_key = rng.next_u64();
        let zoned = now.to_zoned_datetime(tz);
        let now = now.as_second();
        let midnight = zoned
            .start_of_day()
            .map(|z| z.timestamp().as_second())
            .unwrap_or(now - now.rem_euclid(DAY));
        let today = zoned.date();
        let first = today
            .checked_sub(jiff::Span::new().days(DATE_SPAN))
            .unwrap_or(today);
        let mut dates = Vec::with_capacity(2 * DATE_SPAN as usize + 1);
        let mut day = first;
        for _ in 0..=2 * DATE_SPAN {
            dates.push(day);
            day = day.tomorrow().unwrap_or(day);
        }
        DemoGenerator {
            rng,
            remaining: customers,
            orgs: 0,
            loners: 0,
            name_key,
            now,
            midnight,
            dates,
            sla,
        }
    }

    fn date(&self, k: i64) -> Date {
        self.dates[(k + DATE_SPAN).clamp(0, 2 * DATE_SPAN) as usize]
    }

    /// Whole days from today to the instant (negative in the past).
    fn day_of(&self, at: i64) -> i64 {
        (at - self.midnight).div_euclid(DAY)
    }

    fn profile(&mut self, segment: Option<&'static str>) -> Profile {
        let stage = self.rng.weighted(STAGES);
        let (lo, hi) = match stage {
            Stage::Prospect => (3, 120),
            Stage::Onboarding => (7, 75),
            Stage::Active => (90, 1460),
            Stage::AtRisk => (120, 1460),
            Stage::Churned => (400, 1460),
        };
        let created = self.now - self.rng.range(lo, hi) * DAY - self.rng.range(0, DAY);
        Profile {
            stage,
            segment,
            owner: self.rng.pick(OWNERS),
            created,
        }
    }

    /// Every fourth of the first organizations gets a famous root ("Acme",
    /// "Globex") so even small demos look familiar; the rest use compounds.
    fn company_name(&mut self) -> String {
        let (i, key) = (self.orgs, self.name_key);
        self.orgs += 1;
        let (industries, suffixes) = (INDUSTRIES.len() as u64 + 1, SUFFIXES.len() as u64 + 1);
        let famous = FAMOUS.len() as u64 * industries * suffixes;
        let compound = (ROOT_HEADS.len() * ROOT_TAILS.len()) as u64 * industries * suffixes;
        let mut name = String::with_capacity(40);
        let (mut x, repeat) = if i % 4 == 0 && i / 4 < famous {
            let x = permute(i / 4, famous, key);
            name.push_str(FAMOUS[(x / industries / suffixes) as usize]);
            (x, 0)
        } else {
            let j = i - i.div_ceil(4).min(famous);
            let x = permute(j % compound, compound, key.rotate_left(17));
            let root = (x / industries / suffixes) as usize;
            name.push_str(ROOT_HEADS[root / ROOT_TAILS.len()]);
            name.push_str(ROOT_TAILS[root % ROOT_TAILS.len()]);
            (x, j / compound)
        };
        let suffix = (x % suffixes) as usize;
        x /= suffixes;
        let industry = (x % industries) as usize;
        if industry > 0 {
            name.push(' ');
            name.push_str(INDUSTRIES[industry - 1]);
        }
        if suffix > 0 {
            name.push(' ');
            name.push_str(SUFFIXES[suffix - 1]);
        }
        if repeat > 0 {
            let _ = write!(name, " {}", repeat + 1);
        }
        name
    }

    fn phone(&mut self) -> String {
        format!(
            "+1 555 01{:02} {:04}",
            self.rng.below(100),
            self.rng.below(10_000)
        )
    }

    fn tags(&mut self, p: Profile) -> Vec<String> {
        let want = self.rng.weighted(&[(0, 55), (1, 33), (2, 12)]);
        let mut tags: Vec<&str> = Vec::new();
        if p.stage == Stage::AtRisk && self.rng.chance(50) {
            tags.push("churn-risk");
        }
        if p.segment == Some("Enterprise") && self.rng.chance(30) {
            tags.push("vip");
        }
        while tags.len() < want {
            let tag = self.rng.pick(TAGS);
            if tag != "churn-risk" && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags.into_iter().map(str::to_string).collect()
    }

    fn organization_account(&mut self) -> Account {
        let segment = self.rng.weighted(SEGMENTS);
        let p = self.profile(Some(segment));
        let name = self.company_name();
        let mut domain = String::with_capacity(name.len() + 8);
        fold_into(&mut domain, &name, Some('-'));
        domain.push_str(".example");

        let mut d = CustomerDraft::new(CustomerKind::Organization, name);
        if self.rng.chance(60) {
            d.email = Some(format!("{}@{domain}", self.rng.pick(ORG_MAILBOXES)));
        }
        d.phone = self.rng.chance(70).then(|| self.phone());
        d.segment = Some(segment.to_string());
        d.tags = self.tags(p);
        d.stage = p.stage;
        d.owner = Some(p.owner.to_string());
        let renewal = match p.stage {
            Stage::Prospect => None,
            Stage::Churned => Some(self.rng.range(-300, -1)),
            _ => Some(self.rng.range(-20, 365)),
        };
        d.renewal_on = renewal.map(|k| self.date(k));
        if p.stage != Stage::Prospect || self.rng.chance(50) {
            let hundreds = match segment {
                "SMB" => self.rng.range(20, 250),
                "Mid-Market" => self.rng.range(250, 1500),
                _ => self.rng.range(1500, 15_000),
            };
            d.contract_value = Some(Money {
                minor: hundreds * 100 * 100,
                currency: "USD".into(),
            });
        }
        if self.rng.chance(30) {
            d.notes = Some(self.rng.pick(CUSTOMER_NOTES).to_string());
        }
        let mut org = self.customer(d, p);
        self.org_followups(&mut org, p, renewal);
        self.activities(&mut org, p);

        let people = self.rng.weighted(PEOPLE_PER_ORG).min(self.remaining - 1);
        let mut locals = Vec::with_capacity(people);
        let people = (0..people)
            .map(|_| {
                // People join their organization some time after it became a customer.
                let created = p.created + self.rng.range(0, (self.now - p.created) / 3);
                self.person(Profile { created, ..p }, Some(&domain), &mut locals)
            })
            .collect();
        Account {
            organization: Some(org),
            people,
        }
    }

    fn loner_account(&mut self) -> Account {
        let segment = self.rng.chance(50).then_some("SMB");
        let p = self.profile(segment);
        let person = self.person(p, None, &mut Vec::new());
        Account {
            organization: None,
            people: vec![person],
        }
    }

    /// `locals`: e-mail local parts already used at this domain.
    fn person(
        &mut self,
        p: Profile,
        domain: Option<&str>,
        locals: &mut Vec<String>,
    ) -> BulkCustomer {
        let weights: u32 = CULTURES.iter().map(|c| c.weight).sum();
        let mut roll = self.rng.below(u64::from(weights)) as u32;
        let mut culture = &CULTURES[0];
        for c in CULTURES {
            if roll < c.weight {
                culture = c;
                break;
            }
            roll -= c.weight;
        }
        let (first, first_ascii) = script(self.rng.pick(culture.first));
        let (last, last_ascii) = script(self.rng.pick(culture.last));
        let name = if culture.family_first {
            format!("{last}{first}")
        } else {
            format!("{first} {last}")
        };

        let mut local = String::with_capacity(24);
        fold_into(&mut local, first_ascii, None);
        local.push('.');
        fold_into(&mut local, last_ascii, None);
        let email = match domain {
            Some(domain) => {
                let base_len = local.len();
                let mut n = 1;
                while locals.contains(&local) {
                    n += 1;
                    local.truncate(base_len);
                    let _ = write!(local, "{n}");
                }
                locals.push(local.clone());
                format!("{local}@{domain}")
            }
            None => {
                // Webmail-style numbers keep addresses unique among a million.
                self.loners += 1;
                let host = self
                    .rng
                    .pick(&["example.com", "example.net", "example.org"]);
                format!("{local}{}@{host}", self.loners)
            }
        };

        let mut d = CustomerDraft::new(CustomerKind::Person, name);
        d.email = Some(email);
        d.phone = self.rng.chance(75).then(|| self.phone());
        let title_odds = if domain.is_some() { 85 } else { 25 };
        d.title = self
            .rng
            .chance(title_odds)
            .then(|| self.rng.pick(TITLES).to_string());
        d.segment = p.segment.map(str::to_string);
        d.tags = self.tags(p);
        d.stage = p.stage;
        d.owner = Some(p.owner.to_string());
        if self.rng.chance(8) {
            d.notes = Some(self.rng.pick(CUSTOMER_NOTES).to_string());
        }
        let mut c = self.customer(d, p);
        self.tickets(&mut c, p);
        let kind = match p.stage {
            Stage::Onboarding if self.rng.chance(60) => Some(FollowupKind::Onboarding),
            _ if self.rng.chance(12) => Some(FollowupKind::CheckIn),
            _ => None,
        };
        if let Some(kind) = kind {
            self.followup(&mut c, p, kind, None);
        }
        self.activities(&mut c, p);
        c
    }

    fn customer(&self, draft: CustomerDraft, p: Profile) -> BulkCustomer {
        BulkCustomer {
            draft,
            created_at: ts(p.created),
            tickets: Vec::new(),
            followups: Vec::new(),
            interactions: Vec::new(),
        }
    }
}

impl Iterator for DemoGenerator {
    type Item = Account;

    fn next(&mut self) -> Option<Account> {
        if self.remaining == 0 {
            return None;
        }
        let account = if self.rng.below(3) < 2 {
            self.organization_account()
        } else {
            self.loner_account()
        };
        self.remaining -= account.customer_count();
        Some(account)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (usize::from(self.remaining > 0), Some(self.remaining))
    }
}

impl std::iter::FusedIterator for DemoGenerator {}
