//! Saving an edit made from a copy that may have gone stale: a field the user
//! left alone takes what is saved now (another process may have changed it),
//! a field the user changed is written, and a field both changed to different
//! values is a conflict the user decides. The same rule for every record and
//! every backend.

/// What saving does with a field that both the user and another process
/// changed since the form was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    /// Say so and save nothing: the user decides.
    Refuse,
    /// The user has seen the other value and chose theirs.
    Overwrite,
}

impl OnConflict {
    pub fn overwrites(self) -> bool {
        self == OnConflict::Overwrite
    }
}

/// A field that another process changed since the form was opened, to a value
/// other than the one the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldConflict {
    pub field: &'static str,
    /// The value saved now, as text a person reads ("" for none).
    pub now: String,
}

/// What was changed meanwhile, in one sentence:
/// `notes is now “Called back”, phone is now “+46 8 …”`.
pub fn describe(conflicts: &[FieldConflict]) -> String {
    conflicts
        .iter()
        .map(|c| {
            if c.now.is_empty() {
                format!("{} is now empty", c.field)
            } else {
                format!("{} is now “{}”", c.field, shorten(&c.now, 40))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &one_line[..cut]),
        None => one_line,
    }
}

/// Merges one field into `out` (which starts as `theirs`); see the module.
pub struct Merge<'a, T> {
    pub base: &'a T,
    pub mine: &'a T,
    pub theirs: &'a T,
    pub out: T,
    pub conflicts: Vec<FieldConflict>,
    pub overwrite: bool,
}

impl<'a, T: Clone> Merge<'a, T> {
    pub fn new(base: &'a T, mine: &'a T, theirs: &'a T, overwrite: bool) -> Self {
        Merge {
            base,
            mine,
            theirs,
            out: theirs.clone(),
            conflicts: Vec::new(),
            overwrite,
        }
    }

    /// The field `get` reaches, named `field`, shown as `text` in a conflict.
    pub fn field<V: PartialEq + Clone>(
        &mut self,
        field: &'static str,
        get: impl Fn(&T) -> &V,
        set: impl FnOnce(&mut T, V),
        text: impl FnOnce(&V) -> String,
    ) -> &mut Self {
        let (base, mine, theirs) = (get(self.base), get(self.mine), get(self.theirs));
        if mine != base {
            if theirs != base && theirs != mine && !self.overwrite {
                self.conflicts.push(FieldConflict {
                    field,
                    now: text(theirs),
                });
            }
            set(&mut self.out, mine.clone());
        }
        self
    }

    pub fn finish(self) -> Result<T, Vec<FieldConflict>> {
        if self.conflicts.is_empty() {
            Ok(self.out)
        } else {
            Err(self.conflicts)
        }
    }
}

/// Text of an optional value for a conflict message.
pub fn opt_text<V: ToString>(value: &Option<V>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Card {
        phone: Option<String>,
        notes: Option<String>,
    }

    fn merge(
        base: &Card,
        mine: &Card,
        theirs: &Card,
        overwrite: bool,
    ) -> Result<Card, Vec<FieldConflict>> {
        let mut m = Merge::new(base, mine, theirs, overwrite);
        m.field("phone", |c| &c.phone, |c, v| c.phone = v, opt_text)
            .field("notes", |c| &c.notes, |c, v| c.notes = v, opt_text);
        m.finish()
    }

    fn card(phone: &str, notes: &str) -> Card {
        Card {
            phone: Some(phone.into()),
            notes: Some(notes.into()),
        }
    }

    #[test]
    fn edits_of_different_fields_both_survive() {
        let base = card("1", "old");
        let mine = card("2", "old");
        let theirs = card("1", "new");
        assert_eq!(merge(&base, &mine, &theirs, false), Ok(card("2", "new")));
    }

    #[test]
    fn the_same_field_changed_twice_is_a_conflict_unless_overwritten() {
        let base = card("1", "old");
        let mine = card("1", "mine");
        let theirs = card("1", "theirs");
        let conflicts = merge(&base, &mine, &theirs, false).unwrap_err();
        assert_eq!(describe(&conflicts), "notes is now “theirs”");
        assert_eq!(merge(&base, &mine, &theirs, true), Ok(card("1", "mine")));
        // Both typed the same thing: nothing to decide.
        assert_eq!(merge(&base, &mine, &mine, false), Ok(mine.clone()));
    }
}
