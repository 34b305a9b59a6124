//! When two customers are probably one: the rules behind `customer
//! duplicates` and the TUI's merge offer. Same email (any case), same phone
//! digits (`+1 (555) 010-2000` is `15550102000`), the same name of the same
//! kind in the same organization, or a near-identical name of two people in
//! one organization (`Kathryn Meyers` and `Kathryn Meyer`).

use std::collections::HashMap;

use serde::Serialize;

use super::CustomerKind;

/// What a customer is matched on; the store fills it from a row.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub kind: CustomerKind,
    pub organization_id: Option<i64>,
    /// The organization's name, for the reason.
    pub organization: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Which rule put customers in one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    SameEmail,
    SamePhone,
    SameName,
    SimilarName,
}

/// Customers that are probably one, and why, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub rule: Rule,
    /// "same phone 15550102000", "similar names in Acme: Kathryn Meyers, Kathryn Meyer"
    pub reason: String,
    /// By id, lowest first.
    pub ids: Vec<i64>,
}

impl Group {
    /// A group of one exact rule: "same phone 15550102000".
    pub fn same(rule: Rule, shown: &str, ids: Vec<i64>) -> Group {
        let words = match rule {
            Rule::SameEmail => "same email",
            Rule::SamePhone => "same phone",
            Rule::SameName | Rule::SimilarName => "same name",
        };
        Group {
            rule,
            reason: format!("{words} {shown}"),
            ids,
        }
    }
}

/// Fewer digits than this are not a phone number worth matching (an
/// extension, a typo); a real number has at least seven.
const MIN_PHONE_DIGITS: usize = 7;

/// An email as it is compared: trimmed, any case.
pub fn email_key(email: &str) -> Option<String> {
    Some(email.trim().to_lowercase()).filter(|e| !e.is_empty())
}

/// A phone as it is compared: its digits only, so the spacing, brackets and
/// `+` of one address book do not hide the same number written by another.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= MIN_PHONE_DIGITS).then_some(digits)
}

/// A name as it is compared: letters and digits only, any case.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Two names close enough to be one person's name mistyped or shortened:
/// the same first name, and the whole names (as keys) one letter apart, two
/// in a long name. Short names are left alone ("Ann Li" and "Ian Li"), and
/// so are different first names ("Lea Schulz" and "Lena Schulz" are two
/// people far more often than one).
pub fn similar_names(a: &str, b: &str) -> bool {
    let first = |name: &str| name.split_whitespace().next().map(name_key);
    if first(a) != first(b) {
        return false;
    }
    let a: Vec<char> = name_key(a).chars().collect();
    let b: Vec<char> = name_key(b).chars().collect();
    let shorter = a.len().min(b.len());
    let allowed = match shorter {
        0..=7 => return false,
        8..=13 => 1,
        _ => 2,
    };
    a != b && a.len().abs_diff(b.len()) <= allowed && edit_distance(&a, &b) <= allowed
}

/// Levenshtein distance (insert, delete, replace one character).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let replace = previous[j] + usize::from(ca != cb);
            current[j + 1] = replace.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Customers of one kind in one organization (or none) with one name key.
type NameKey = (&'static str, Option<i64>, String);
/// A person of an organization: name key, name as written, id.
pub type Member = (String, String, i64);

/// Collects candidates one at a time (a big database is streamed, not held)
/// and groups them by the rules, in that order.
#[derive(Debug, Default)]
pub struct Finder {
    emails: HashMap<String, Vec<i64>>,
    phones: HashMap<String, Vec<i64>>,
    /// (kind, organization, name key) -> ids, and the name first seen.
    names: HashMap<NameKey, (String, Vec<i64>)>,
    /// People of an organization: (name key, name, id), for similar names.
    members: HashMap<i64, (String, Vec<Member>)>,
}

impl Finder {
    pub fn add(&mut self, c: &Candidate) {
        if let Some(key) = c.email.as_deref().and_then(email_key) {
            self.emails.entry(key).or_default().push(c.id);
        }
        if let Some(key) = c.phone.as_deref().and_then(phone_key) {
            self.phones.entry(key).or_default().push(c.id);
        }
        let key = name_key(&c.name);
        if key.is_empty() {
            return;
        }
        self.names
            .entry((c.kind.as_str(), c.organization_id, key.clone()))
            .or_insert_with(|| (c.name.clone(), Vec::new()))
            .1
            .push(c.id);
        if let (CustomerKind::Person, Some(org)) = (c.kind, c.organization_id) {
            let org_name = c
                .organization
                .clone()
                .unwrap_or_else(|| format!("organization {org}"));
            self.members
                .entry(org)
                .or_insert_with(|| (org_name, Vec::new()))
                .1
                .push((key, c.name.clone(), c.id));
        }
    }

    /// The groups, at most `limit`: by rule, then by lowest id.
    pub fn groups(self, limit: usize) -> Vec<Group> {
        let mut all = Vec::new();
        let mut by_key = |rule: Rule, found: Vec<(String, Vec<i64>)>| {
            let mut groups: Vec<Group> = found
                .into_iter()
                .filter(|(_, ids)| ids.len() > 1)
                .map(|(shown, mut ids)| {
                    ids.sort_unstable();
                    Group::same(rule, &shown, ids)
                })
                .collect();
            groups.sort_by_key(|g| g.ids.first().copied());
            all.extend(groups);
        };
        by_key(Rule::SameEmail, self.emails.into_iter().collect());
        by_key(Rule::SamePhone, self.phones.into_iter().collect());
        by_key(Rule::SameName, self.names.into_values().collect());
        let mut similar: Vec<Group> = self
            .members
            .into_values()
            .flat_map(|(org, people)| similar_in(&org, people))
            .collect();
        similar.sort_by_key(|g| g.ids.first().copied());
        all.extend(similar);
        all.truncate(limit);
        all
    }
}

/// Groups of people of one organization whose names are similar (linked
/// through each other: a chain of one-letter steps is one group). Only
/// names starting with the same letter are compared, which keeps a large
/// organization cheap and loses little: a mistyped first letter is rare.
pub fn similar_in(org: &str, mut people: Vec<Member>) -> Vec<Group> {
    people.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    let mut parent: Vec<usize> = (0..people.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..people.len() {
        let first = people[i].0.chars().next();
        for j in i + 1..people.len() {
            if people[j].0.chars().next() != first {
                break;
            }
            if similar_names(&people[i].1, &people[j].1) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut sets: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..people.len() {
        let r = root(&mut parent, i);
        sets.entry(r).or_default().push(i);
    }
    sets.into_values()
        .filter(|members| {
            // Two or more different names: the same name is "same name".
            members.len() > 1 && members.iter().any(|&m| people[m].0 != people[members[0]].0)
        })
        .map(|members| {
            let mut names: Vec<&str> = Vec::new();
            let mut ids: Vec<i64> = Vec::new();
            for &m in &members {
                if !names.contains(&people[m].1.as_str()) {
                    names.push(&people[m].1);
                }
                ids.push(people[m].2);
            }
            ids.sort_unstable();
            Group {
                rule: Rule::SimilarName,
                reason: format!("similar names in {org}: {}", names.join(", ")),
                ids,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(
        id: i64,
        name: &str,
        org: Option<i64>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Candidate {
        Candidate {
            id,
            kind: CustomerKind::Person,
            organization_id: org,
            organization: org.map(|_| "Acme".to_string()),
            name: name.to_string(),
            email: email.map(str::to_string),
            phone: phone.map(str::to_string),
        }
    }

    fn groups(candidates: &[Candidate]) -> Vec<Group> {
        let mut finder = Finder::default();
        for c in candidates {
            finder.add(c);
        }
        finder.groups(100)
    }

    #[test]
    fn phones_with_the_same_digits_are_one_number() {
        assert_eq!(phone_key("+1 (555) 010-2000"), phone_key("15550102000"));
        assert_eq!(
            phone_key("+1 (555) 010-2000").as_deref(),
            Some("15550102000")
        );
        assert_eq!(phone_key("ext 12"), None, "too few digits to be a number");
        let found = groups(&[
            person(1, "Ann Berg", None, None, Some("+1 (555) 010-2000")),
            person(2, "Bo Carl", None, None, Some("15550102000")),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, Rule::SamePhone);
        assert_eq!(found[0].reason, "same phone 15550102000");
        assert_eq!(found[0].ids, [1, 2]);
    }

    #[test]
    fn near_identical_names_in_one_organization() {
        assert!(similar_names("Kathryn Meyers", "Kathryn Meyer"));
        assert!(!similar_names("Ann Li", "Ian Li"), "short names");
        assert!(
            !similar_names("Kathryn Meyers", "Kathryn Meyers"),
            "the same"
        );
        assert!(!similar_names("Kathryn Meyers", "Katherine Myers"));
        assert!(
            !similar_names("Lea Schulz", "Lena Schulz"),
            "another first name"
        );
        assert!(!similar_names("Martín Hernández", "María Hernández"));
        let found = groups(&[
            person(1, "Kathryn Meyers", Some(9), None, None),
            person(2, "Kathryn Meyer", Some(9), None, None),
            person(3, "Kathryn Meyer", Some(8), None, None),
            person(4, "Someone Else", Some(9), None, None),
        ]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, Rule::SimilarName);
        assert_eq!(
            found[0].ids,
            [1, 2],
            "not the namesake of another organization"
        );
        assert_eq!(
            found[0].reason,
            "similar names in Acme: Kathryn Meyer, Kathryn Meyers"
        );
    }

    #[test]
    fn each_rule_is_a_group_with_its_reason() {
        let found = groups(&[
            person(1, "Jane Doe", None, Some("Jane@Example.com"), None),
            person(2, "J. Doe", None, Some(" jane@example.com"), None),
            person(3, "Jane Doe", None, None, None),
        ]);
        let reasons: Vec<&str> = found.iter().map(|g| g.reason.as_str()).collect();
        assert_eq!(
            reasons,
            ["same email jane@example.com", "same name Jane Doe"]
        );
        assert_eq!(found[1].ids, [1, 3]);
    }
}
