//! What the customers an import has written can be matched on, kept as a
//! Bloom filter of fixed size: into a database that had no customers, a
//! contact none of whose keys were written cannot match anybody, and the
//! look-ups of `find_existing_in` (most of such an import's time) are
//! skipped. A key that may have been written costs the look-ups as before,
//! so matching stays exactly what the queries say.

use crate::domain::CustomerDraft;
use crate::store::merge::Contact;

/// 4 MB: about 1% false positives at three million keys (three a contact),
/// whatever the file's size. Zeroed lazily by the system.
const WORDS: usize = 1 << 19;
const BITS: u64 = (WORDS * 64) as u64;

#[derive(Clone, Copy)]
enum Key {
    Uid = 1,
    Email = 2,
    Name = 3,
    /// A name and a phone's digits: what a contact with a phone is matched on by name.
    NamePhone = 4,
}

pub(super) struct Written {
    bits: Vec<u64>,
}

impl Written {
    pub(super) fn new() -> Self {
        Written {
            bits: vec![0; WORDS],
        }
    }

    /// The keys of a customer as written: its card UID (extra UID, as
    /// `json_extract(extra, '$.UID[0]')` sees it), its emails (extra EMAIL
    /// too: `customer_emails`), its name. Emails and names are compared
    /// NOCASE (ASCII only) by the queries, so they are kept ASCII-lowercased;
    /// a UID keeps its case, as the query does.
    pub(super) fn add_draft(&mut self, d: &CustomerDraft) {
        if let Some(uid) = d.extra.get("UID").and_then(|u| u.first()) {
            self.add(Key::Uid, uid);
        }
        for email in d
            .email
            .iter()
            .chain(d.extra.get("EMAIL").into_iter().flatten())
        {
            self.add(Key::Email, email);
        }
        self.add(Key::Name, &d.name);
        if let Some(phone) = &d.phone {
            self.add(Key::NamePhone, &name_phone(&d.name, phone));
        }
    }

    /// Whether `find_existing_in` could find a written customer for `c`.
    pub(super) fn may_match(&self, c: &Contact) -> bool {
        c.card_uid.is_some_and(|uid| self.has(Key::Uid, uid))
            || c.email
                .into_iter()
                .chain(c.other_emails.iter().map(String::as_str))
                .any(|e| self.has(Key::Email, e))
            // By name as `find_existing_in` does: with the same phone digits,
            // or any phone when the contact has neither phone nor email.
            || match (c.phone, c.email) {
                (Some(phone), _) => self.has(Key::NamePhone, &name_phone(c.name, phone)),
                (None, None) => self.may_be_named(c.name),
                (None, Some(_)) => false,
            }
    }

    /// Whether a customer of exactly this name, any case, may have been written.
    pub(super) fn may_be_named(&self, name: &str) -> bool {
        self.has(Key::Name, name)
    }

    fn add(&mut self, key: Key, text: &str) {
        for bit in probes(key, text) {
            self.bits[(bit / 64) as usize] |= 1 << (bit % 64);
        }
    }

    fn has(&self, key: Key, text: &str) -> bool {
        probes(key, text)
            .into_iter()
            .all(|bit| self.bits[(bit / 64) as usize] & (1 << (bit % 64)) != 0)
    }
}

/// A name and the digits of a phone, as one key (a
/// collision of two only costs a look-up).
fn name_phone(name: &str, phone: &str) -> String {
    let mut key = String::with_capacity(name.len() + 1 + phone.len());
    key.push_str(name);
    key.push('\n');
    key.extend(phone.chars().filter(char::is_ascii_digit));
    key
}

/// Three bit positions from one 64-bit hash (FNV-1a over the key's bytes,
/// ASCII-lowercased unless a UID, then mixed).
fn probes(key: Key, text: &str) -> [u64; 3] {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ key as u64;
    for &b in text.as_bytes() {
        let b = match key {
            Key::Uid => b,
            Key::Email | Key::Name | Key::NamePhone => b.to_ascii_lowercase(),
        };
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    // splitmix64's finalizer: FNV's low bits alone are poor.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    let (a, b) = (h & 0xffff_ffff, (h >> 32) | 1);
    [a % BITS, (a + b) % BITS, (a + 2 * b) % BITS]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CustomerKind;

    #[test]
    fn written_keys_are_found_any_case_and_others_mostly_not() {
        let mut written = Written::new();
        let mut draft = CustomerDraft::new(CustomerKind::Person, "Jane Doe");
        draft.email = Some("Jane@Acme.example".into());
        draft.phone = Some("+1 555-0100".into());
        draft.extra.insert("UID".into(), vec!["AbC-1".into()]);
        written.add_draft(&draft);
        fn contact<'a>(name: &'a str, email: Option<&'a str>, uid: Option<&'a str>) -> Contact<'a> {
            Contact {
                id: None,
                card_uid: uid,
                kind: CustomerKind::Person,
                organization: None,
                known_only: false,
                name,
                email,
                other_emails: &[],
                phone: None,
            }
        }
        assert!(written.may_match(&contact("JANE DOE", None, None)));
        assert!(
            !written.may_match(&contact("Jane Doe", Some("other@acme.example"), None)),
            "with an email and no phone a name is not matched"
        );
        assert!(written.may_match(&contact("x", Some("jane@acme.EXAMPLE"), None)));
        assert!(written.may_match(&contact("x", None, Some("AbC-1"))));
        assert!(written.may_be_named("jane doe"));
        let phoned = |phone| Contact {
            phone: Some(phone),
            ..contact("jane DOE", Some("other@acme.example"), None)
        };
        assert!(written.may_match(&phoned("15550100")));
        assert!(!written.may_match(&phoned("15550101")));
        let misses = (0..1000)
            .filter(|i| written.may_match(&contact(&format!("n{i}"), None, Some("abc-1"))))
            .count();
        assert!(misses < 10, "{misses} false positives in 1000");
    }
}
