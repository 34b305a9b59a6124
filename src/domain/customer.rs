//! Customers: people and the organizations they belong to.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::edit::{FieldConflict, Merge, opt_text};
use super::{CustomerKind, Money, Stage, ValidationError, long_text, optional_text, required_text};

pub const MAX_NAME: usize = 200;
const MAX_FIELD: usize = 200;
const MAX_TAG: usize = 50;

/// Everything a person can set on a customer. Used for add and edit alike:
/// edit loads the stored values into a draft, changes some, saves the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDraft {
    pub kind: CustomerKind,
    pub name: String,
    pub organization_id: Option<i64>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub segment: Option<String>,
    pub tags: Vec<String>,
    pub stage: Stage,
    pub owner: Option<String>,
    pub renewal_on: Option<Date>,
    pub contract_value: Option<Money>,
    pub notes: Option<String>,
    /// Details without a field of their own (ADR, URL, BDAY, more emails ...).
    pub extra: Extra,
}

/// Property name (as vCard spells it) to its values, in order.
pub type Extra = std::collections::BTreeMap<String, Vec<String>>;

/// How an extra detail is called on screen: vCard property names are not
/// words people use.
pub fn extra_label(property: &str) -> String {
    match property {
        "ADR" => "address".into(),
        "BDAY" => "birthday".into(),
        "URL" => "website".into(),
        "IMPP" => "chat".into(),
        "EMAIL" => "other email".into(),
        "TEL" => "other phone".into(),
        "TITLE" => "other title".into(),
        other => other.to_lowercase(),
    }
}

/// An extra detail's value for reading: an address's parts (kept with
/// vCard's `;` between them) joined by commas, escapes undone.
pub fn extra_display(property: &str, value: &str) -> String {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => parts.last_mut().map_or((), |p| p.push(' ')),
                Some(other) => parts.last_mut().map_or((), |p| p.push(other)),
                None => {}
            },
            ';' if property == "ADR" => parts.push(String::new()),
            c => parts.last_mut().map_or((), |p| p.push(c)),
        }
    }
    let parts: Vec<&str> = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    parts.join(", ")
}

impl CustomerDraft {
    pub fn new(kind: CustomerKind, name: impl Into<String>) -> CustomerDraft {
        CustomerDraft {
            kind,
            name: name.into(),
            organization_id: None,
            email: None,
            phone: None,
            title: None,
            segment: None,
            tags: Vec::new(),
            stage: Stage::Prospect,
            owner: None,
            renewal_on: None,
            contract_value: None,
            notes: None,
            extra: Extra::new(),
        }
    }

    /// Trims and checks every field; the first problem comes back in words.
    pub fn normalized(self) -> Result<CustomerDraft, ValidationError> {
        let name = required_text("name", &self.name, MAX_NAME)?;
        if self.kind == CustomerKind::Organization && self.organization_id.is_some() {
            return Err(ValidationError::new(
                "organization",
                "can only be set on a person, not on an organization",
            ));
        }
        let email = short_text("email", self.email.as_deref())?;
        if let Some(email) = &email {
            check_email(email)?;
        }
        let phone = short_text("phone", self.phone.as_deref())?;
        if let Some(phone) = &phone {
            check_phone(phone)?;
        }
        Ok(CustomerDraft {
            name,
            email,
            phone,
            title: short_text("title", self.title.as_deref())?,
            segment: short_text("segment", self.segment.as_deref())?,
            tags: normalize_tags(&self.tags)?,
            owner: short_text("owner", self.owner.as_deref())?,
            notes: long_text("notes", self.notes.as_deref())?,
            ..self
        })
    }
}

fn short_text(field: &'static str, value: Option<&str>) -> Result<Option<String>, ValidationError> {
    match optional_text(value) {
        Some(text) => required_text(field, &text, MAX_FIELD).map(Some),
        None => Ok(None),
    }
}

fn check_email(email: &str) -> Result<(), ValidationError> {
    let bad = || {
        ValidationError::new(
            "email",
            format!("must look like name@example.com, not {email:?}"),
        )
    };
    let (local, domain) = email.rsplit_once('@').ok_or_else(bad)?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if plausible { Ok(()) } else { Err(bad()) }
}

fn check_phone(phone: &str) -> Result<(), ValidationError> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().:/xXext".contains(c);
    if digits >= 3 && phone.chars().all(allowed) {
        Ok(())
    } else {
        Err(ValidationError::new(
            "phone",
            format!("must be a phone number (digits, spaces, + - ( ) . /), not {phone:?}"),
        ))
    }
}

/// Trims tags, drops blanks and case-insensitive repeats, keeps first spelling.
pub fn normalize_tags(tags: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.trim();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > MAX_TAG {
            return Err(ValidationError::new(
                "tag",
                format!("must be at most {MAX_TAG} characters"),
            ));
        }
        if tag.contains(',') || tag.contains(';') {
            return Err(ValidationError::new(
                "tag",
                format!("must not contain , or ; ({tag:?})"),
            ));
        }
        if !out.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            out.push(tag.to_string());
        }
    }
    Ok(out)
}

/// A stored customer as the store returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: i64,
    pub kind: CustomerKind,
    pub name: String,
    pub organization_id: Option<i64>,
    /// Name of the organization, for display; not a stored column.
    pub organization: Option<String>,
    /// An organization's people not in the trash, where a list page counted
    /// them (for its column); not a stored column.
    #[serde(skip)]
    pub people: Option<u32>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub segment: Option<String>,
    pub tags: Vec<String>,
    pub stage: Stage,
    pub owner: Option<String>,
    pub renewal_on: Option<Date>,
    /// Minor units (cents) of `currency`.
    pub contract_value: Option<i64>,
    pub currency: Option<String>,
    pub notes: Option<String>,
    /// Details without a field of their own, kept from an import.
    #[serde(default, skip_serializing_if = "Extra::is_empty")]
    pub extra: Extra,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
}

impl Customer {
    pub fn draft(&self) -> CustomerDraft {
        CustomerDraft {
            kind: self.kind,
            name: self.name.clone(),
            organization_id: self.organization_id,
            email: self.email.clone(),
            phone: self.phone.clone(),
            title: self.title.clone(),
            segment: self.segment.clone(),
            tags: self.tags.clone(),
            stage: self.stage,
            owner: self.owner.clone(),
            renewal_on: self.renewal_on,
            contract_value: self.money(),
            notes: self.notes.clone(),
            extra: self.extra.clone(),
        }
    }

    /// This customer with `other` merged in: empty fields filled from `other`,
    /// tags united, notes kept from both.
    pub fn merged_with(&self, other: &Customer) -> CustomerDraft {
        let mut draft = self.draft();
        let theirs = other.draft();
        let fill = |mine: &mut Option<String>, theirs: Option<String>| {
            if mine.is_none() {
                *mine = theirs;
            }
        };
        // Their other details join ours; their email and phone, when ours
        // differ, are kept as other ones rather than lost with the trash.
        let mut kept = |property: &str, value: String| {
            let list = draft.extra.entry(property.to_string()).or_default();
            if !list.contains(&value) {
                list.push(value);
            }
        };
        for (property, values) in theirs.extra {
            if property != "UID" || !self.extra.contains_key("UID") {
                values.into_iter().for_each(|v| kept(&property, v));
            }
        }
        let mut their_email = theirs.email;
        let same_email = |a: &Option<String>, b: &Option<String>| {
            a.as_deref()
                .zip(b.as_deref())
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        };
        if draft.email.is_some() && !same_email(&draft.email, &their_email) {
            their_email
                .take()
                .into_iter()
                .for_each(|e| kept("EMAIL", e));
        }
        let mut their_phone = theirs.phone;
        if draft.phone.is_some() && their_phone != draft.phone {
            their_phone.take().into_iter().for_each(|p| kept("TEL", p));
        }
        fill(&mut draft.email, their_email);
        fill(&mut draft.phone, their_phone);
        fill(&mut draft.title, theirs.title);
        fill(&mut draft.segment, theirs.segment);
        fill(&mut draft.owner, theirs.owner);
        draft.notes = match (draft.notes.take(), theirs.notes) {
            (Some(mine), Some(theirs)) if mine != theirs => Some(format!("{mine}\n\n{theirs}")),
            (mine, theirs) => mine.or(theirs),
        };
        if draft.organization_id.is_none()
            && draft.kind == CustomerKind::Person
            && other.id != self.id
        {
            draft.organization_id = theirs.organization_id.filter(|org| *org != self.id);
        }
        draft.renewal_on = draft.renewal_on.or(theirs.renewal_on);
        draft.contract_value = draft.contract_value.or(theirs.contract_value);
        for tag in theirs.tags {
            if !draft.tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
                draft.tags.push(tag);
            }
        }
        draft
    }

    pub fn money(&self) -> Option<Money> {
        Some(Money {
            minor: self.contract_value?,
            currency: self.currency.clone().unwrap_or_default(),
        })
    }
}

impl CustomerDraft {
    /// `mine` (edited from `base`) saved over `theirs` (what is saved now):
    /// see `edit`. Details without a form field (extra) follow the same rule.
    pub fn merge(
        base: &CustomerDraft,
        mine: &CustomerDraft,
        theirs: &CustomerDraft,
        overwrite: bool,
    ) -> Result<CustomerDraft, Vec<FieldConflict>> {
        let mut m = Merge::new(base, mine, theirs, overwrite);
        m.field("name", |d| &d.name, |d, v| d.name = v, Clone::clone)
            .field(
                "kind",
                |d| &d.kind,
                |d, v| d.kind = v,
                |v| v.as_str().to_string(),
            )
            .field(
                "organization",
                |d| &d.organization_id,
                |d, v| d.organization_id = v,
                opt_text,
            )
            .field("email", |d| &d.email, |d, v| d.email = v, opt_text)
            .field("phone", |d| &d.phone, |d, v| d.phone = v, opt_text)
            .field("title", |d| &d.title, |d, v| d.title = v, opt_text)
            .field("segment", |d| &d.segment, |d, v| d.segment = v, opt_text)
            .field(
                "stage",
                |d| &d.stage,
                |d, v| d.stage = v,
                |v| v.as_str().to_string(),
            )
            .field("owner", |d| &d.owner, |d, v| d.owner = v, opt_text)
            .field(
                "renewal",
                |d| &d.renewal_on,
                |d, v| d.renewal_on = v,
                opt_text,
            )
            .field(
                "contract value",
                |d| &d.contract_value,
                |d, v| d.contract_value = v,
                |v| v.as_ref().map(Money::display).unwrap_or_default(),
            )
            .field("notes", |d| &d.notes, |d, v| d.notes = v, opt_text)
            .field(
                "details",
                |d| &d.extra,
                |d, v| d.extra = v,
                |v| v.keys().cloned().collect::<Vec<_>>().join(", "),
            );
        let mut merged = m.finish()?;
        merged.tags = merge_tags(&base.tags, &mine.tags, &theirs.tags);
        Ok(merged)
    }
}

/// Tags are a set: the ones the user added and removed are applied to what is
/// saved now, so two processes tagging one customer at once both count.
fn merge_tags(base: &[String], mine: &[String], theirs: &[String]) -> Vec<String> {
    let has = |list: &[String], tag: &str| list.iter().any(|t| t.eq_ignore_ascii_case(tag));
    let mut out: Vec<String> = theirs
        .iter()
        .filter(|t| !has(base, t) || has(mine, t))
        .cloned()
        .collect();
    for tag in mine {
        if !has(base, tag) && !has(&out, tag) {
            out.push(tag.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_merge_as_a_set() {
        let list = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let merged = merge_tags(
            &list(&["vip", "old"]),
            &list(&["vip", "mine"]),
            &list(&["vip", "old", "theirs"]),
        );
        assert_eq!(merged, list(&["vip", "theirs", "mine"]));
    }

    #[test]
    fn extra_details_read_as_words() {
        assert_eq!(extra_label("ADR"), "address");
        assert_eq!(extra_label("NICKNAME"), "nickname");
        assert_eq!(
            extra_display("ADR", ";;12 Main St\\, Apt 3;Springfield;;12345;USA"),
            "12 Main St, Apt 3, Springfield, 12345, USA"
        );
        assert_eq!(extra_display("NOTE", "one\\ntwo\\;"), "one two;");
    }

    fn person(name: &str) -> CustomerDraft {
        CustomerDraft::new(CustomerKind::Person, name)
    }

    #[test]
    fn name_is_trimmed_and_required() {
        assert_eq!(person("  Jane Doe ").normalized().unwrap().name, "Jane Doe");
        assert_eq!(
            person("   ").normalized().unwrap_err().to_string(),
            "name must not be blank"
        );
        let long = "x".repeat(201);
        assert_eq!(
            person(&long).normalized().unwrap_err().to_string(),
            "name must be at most 200 characters (it has 201)"
        );
        assert!(person(&"é".repeat(200)).normalized().is_ok());
        assert_eq!(
            person("Line\r\n  Break\t").normalized().unwrap().name,
            "Line Break"
        );
    }

    #[test]
    fn email_and_phone_are_checked() {
        let mut d = person("Jane");
        d.email = Some("jane at example".into());
        assert!(
            d.clone()
                .normalized()
                .unwrap_err()
                .to_string()
                .starts_with("email must look like")
        );
        d.email = Some(" jane@example.com ".into());
        d.phone = Some("call me".into());
        assert!(
            d.clone()
                .normalized()
                .unwrap_err()
                .to_string()
                .starts_with("phone must be")
        );
        d.phone = Some("+1 (555) 010-9999".into());
        let ok = d.normalized().unwrap();
        assert_eq!(ok.email.as_deref(), Some("jane@example.com"));
    }

    #[test]
    fn blank_optional_fields_become_none() {
        let mut d = person("Jane");
        d.title = Some("  ".into());
        d.tags = vec![" vip ".into(), "VIP".into(), "".into(), "beta".into()];
        let ok = d.normalized().unwrap();
        assert_eq!(ok.title, None);
        assert_eq!(ok.tags, vec!["vip", "beta"]);
    }

    #[test]
    fn organizations_do_not_belong_to_organizations() {
        let mut d = CustomerDraft::new(CustomerKind::Organization, "Acme");
        d.organization_id = Some(3);
        assert!(d.normalized().is_err());
    }
}
