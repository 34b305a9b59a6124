//! Options that take one word of a closed set (`--stage`, `--status`,
//! `--priority`, `--kind`, ...): parsed by the domain, so a wrong word gets
//! the domain's own reason, and listed to clap, so help and shell completions
//! offer exactly the words the domain accepts.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};

use crate::domain::{Choice, ValidationError};

/// The value parser of a choice option: `#[arg(value_parser = choice::<Stage>())]`.
pub fn choice<T: Choice>() -> ChoiceParser<T> {
    ChoiceParser {
        only: None,
        all: T::all(),
    }
}

/// A choice option that takes only some of the words (`--kind` of an edit
/// offers no `system`): help, completions and the error name those alone.
pub fn choice_of<T: Choice>(field: &'static str, allowed: &'static [T]) -> ChoiceParser<T> {
    ChoiceParser {
        only: Some(field),
        all: allowed,
    }
}

pub struct ChoiceParser<T: 'static> {
    /// The field named in the error when a word outside `all` is given.
    only: Option<&'static str>,
    all: &'static [T],
}

// Derived Clone would ask for `T: Clone`; a slice reference needs nothing.
impl<T> Clone for ChoiceParser<T> {
    fn clone(&self) -> Self {
        ChoiceParser {
            only: self.only,
            all: self.all,
        }
    }
}

impl<T> TypedValueParser for ChoiceParser<T>
where
    T: Choice + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // clap's own error shape ("invalid value 'x' for '--stage <S>': ...")
        // carrying the domain's sentence, which lists the allowed words.
        let (only, all) = (self.only, self.all);
        StringValueParser::new()
            .try_map(move |text: String| {
                let value = T::parse_word(&text)?;
                match only {
                    Some(field) if !all.iter().any(|a| a.word() == value.word()) => {
                        let words: Vec<&str> = all.iter().map(|a| a.word()).collect();
                        Err(ValidationError::new(
                            field,
                            format!("must be one of {}", words.join(", ")),
                        ))
                    }
                    _ => Ok(value),
                }
            })
            .parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.all.iter().map(|c| PossibleValue::new(c.word())),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Stage;

    fn parse(text: &str) -> Result<Stage, String> {
        let cmd = clap::Command::new("t");
        choice::<Stage>()
            .parse_ref(&cmd, None, OsStr::new(text))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn takes_the_words_the_domain_takes() {
        assert_eq!(parse("at risk"), Ok(Stage::AtRisk));
        assert_eq!(parse("at_risk"), Ok(Stage::AtRisk));
        let err = parse("happy").unwrap_err();
        assert!(
            err.contains("stage must be one of prospect, onboarding, active, at_risk, churned"),
            "{err}"
        );
    }

    #[test]
    fn offers_every_word() {
        let words: Vec<String> = choice::<Stage>()
            .possible_values()
            .into_iter()
            .flatten()
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(
            words,
            ["prospect", "onboarding", "active", "at_risk", "churned"]
        );
    }
}
