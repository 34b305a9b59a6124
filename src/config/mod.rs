//! Settings: defaults embedded from `assets/default-config.toml`, overlaid by
//! the user's file. A broken file is reported with its path, line and key.

pub mod keymap;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::domain::health::HealthWeights;
use jiff::tz::TimeZone;

use crate::domain::calendar::Calendar;
use crate::domain::sla::{SlaTarget, parse_target, parse_warn_before};
use crate::domain::{Priority, SlaPolicy, TicketStatus};

pub const DEFAULT_CONFIG: &str = include_str!("../../assets/default-config.toml");

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub currency: String,
    pub date_format: String,
    pub theme: BTreeMap<String, String>,
    pub sla: SlaPolicy,
    pub health: HealthWeights,
    /// `[user] name`: who "me" is (else `$USER`).
    pub user_name: Option<String>,
    /// context ("global", "list", ...) → key spelling → action name.
    pub keys: BTreeMap<String, BTreeMap<String, String>>,
}

/// "config /home/me/.config/tuicrm/config.toml, line 4: unknown field `colour`"
#[derive(Debug, thiserror::Error)]
#[error("config {}{}: {message}", path.display(), line.map(|l| format!(", line {l}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    currency: Option<Spanned<String>>,
    date_format: Option<String>,
    #[serde(default)]
    theme: BTreeMap<String, String>,
    #[serde(default)]
    sla: SlaSection,
    health: Option<HealthWeights>,
    user: Option<UserFile>,
    #[serde(default)]
    keys: BTreeMap<String, BTreeMap<String, String>>,
}

/// `[user]`: who uses this copy of tuicrm.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserFile {
    name: Option<String>,
}

/// `[sla]`: how clocks count, and a table per priority.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlaSection {
    pause_on: Option<Spanned<Vec<String>>>,
    warn_before: Option<Spanned<String>>,
    calendar: Option<Spanned<CalendarFile>>,
    urgent: Option<SlaFile>,
    high: Option<SlaFile>,
    normal: Option<SlaFile>,
    low: Option<SlaFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlaFile {
    first_response: Option<Spanned<String>>,
    resolution: Option<Spanned<String>>,
    /// "24x7": this priority counts every hour whatever `[sla.calendar]` says.
    calendar: Option<Spanned<String>>,
}

/// `[sla.calendar]`: business hours.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    hours: Vec<String>,
    /// An IANA zone name; the system's zone when missing.
    zone: Option<String>,
    #[serde(default)]
    holidays: Vec<String>,
}

impl Config {
    /// The embedded defaults alone.
    pub fn defaults() -> Config {
        let mut config = Config {
            currency: String::new(),
            date_format: String::new(),
            theme: BTreeMap::new(),
            sla: SlaPolicy::default(),
            health: HealthWeights::default(),
            user_name: None,
            keys: BTreeMap::new(),
        };
        // The embedded file is part of the build and covered by a test; were it
        // ever broken, the built-in values above still make a working config.
        let _ = config.overlay(DEFAULT_CONFIG, Path::new("<built-in defaults>"));
        config
    }

    /// Defaults, then the file at `path` when it exists. A missing file is
    /// fine unless `required` (the user named it explicitly).
    pub fn load(path: &Path, required: bool) -> Result<Config, ConfigError> {
        let mut config = Config::defaults();
        match std::fs::read_to_string(path) {
            Ok(text) => config.overlay(&text, path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {}
            Err(e) => {
                return Err(ConfigError {
                    path: path.to_path_buf(),
                    line: None,
                    message: e.to_string(),
                });
            }
        }
        Ok(config)
    }

    fn overlay(&mut self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let error = |span: Option<std::ops::Range<usize>>, message: String| ConfigError {
            path: path.to_path_buf(),
            line: span.map(|s| line_of(text, s.start)),
            message,
        };
        let file: ConfigFile =
            toml::from_str(text).map_err(|e| error(e.span(), e.message().to_string()))?;
        if let Some(currency) = file.currency {
            let code = currency.get_ref().trim().to_ascii_uppercase();
            if code.len() != 3 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(error(
                    Some(currency.span()),
                    "currency must be a three-letter ISO code such as USD".into(),
                ));
            }
            self.currency = code;
        }
        if let Some(format) = file.date_format {
            self.date_format = format;
        }
        self.theme.extend(file.theme);
        if let Some(health) = file.health {
            self.health = health;
        }
        if let Some(name) = file.user.and_then(|u| u.name) {
            let name = name.trim().to_string();
            self.user_name = (!name.is_empty()).then_some(name);
        }
        self.overlay_sla(file.sla, &error)?;
        for (context, bindings) in file.keys {
            self.keys.entry(context).or_default().extend(bindings);
        }
        Ok(())
    }
}

impl Config {
    fn overlay_sla(
        &mut self,
        file: SlaSection,
        error: &dyn Fn(Option<std::ops::Range<usize>>, String) -> ConfigError,
    ) -> Result<(), ConfigError> {
        if let Some(statuses) = file.pause_on {
            let span = statuses.span();
            self.sla.pause_on = statuses
                .into_inner()
                .iter()
                .map(|word| {
                    let status = TicketStatus::parse(word)
                        .map_err(|e| error(Some(span.clone()), format!("sla.pause_on: {e}")))?;
                    if status.is_finished() {
                        return Err(error(
                            Some(span.clone()),
                            format!("sla.pause_on: {status} tickets need no more work; only open statuses pause"),
                        ));
                    }
                    Ok(status)
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(warn) = file.warn_before {
            self.sla.warn_before = parse_warn_before(warn.get_ref())
                .map_err(|e| error(Some(warn.span()), format!("sla.{e}")))?;
        }
        if let Some(calendar) = file.calendar {
            let span = calendar.span();
            let calendar = calendar.into_inner();
            let zone = match &calendar.zone {
                Some(name) => TimeZone::get(name).map_err(|_| {
                    error(
                        Some(span.clone()),
                        format!("sla.calendar.zone: unknown time zone {name:?} (an IANA name such as Europe/Berlin)"),
                    )
                })?,
                None => TimeZone::system(),
            };
            self.sla.calendar = Calendar::business(&calendar.hours, zone, &calendar.holidays)
                .map_err(|e| error(Some(span), e.to_string()))?;
        }
        let priorities = [
            (Priority::Urgent, file.urgent),
            (Priority::High, file.high),
            (Priority::Normal, file.normal),
            (Priority::Low, file.low),
        ];
        for (priority, targets) in priorities {
            let Some(targets) = targets else { continue };
            let priority_name = priority.as_str();
            let current = self.sla.target(priority);
            let read = |value: Option<Spanned<String>>, fallback| match value {
                Some(v) => parse_target("target", v.get_ref())
                    .map_err(|e| error(Some(v.span()), format!("sla.{priority_name}: {e}"))),
                None => Ok(fallback),
            };
            *self.sla.target_mut(priority) = SlaTarget {
                first_response: read(targets.first_response, current.first_response)?,
                resolution: read(targets.resolution, current.resolution)?,
            };
            if let Some(calendar) = targets.calendar {
                let always = match calendar.get_ref().trim() {
                    "24x7" => true,
                    "business" => false,
                    other => {
                        return Err(error(
                            Some(calendar.span()),
                            format!(
                                "sla.{priority_name}.calendar must be \"24x7\" or \"business\", not {other:?}"
                            ),
                        ));
                    }
                };
                self.sla.around_the_clock.retain(|p| *p != priority);
                if always {
                    self.sla.around_the_clock.push(priority);
                }
            }
        }
        Ok(())
    }
}

impl Config {
    /// Who "me" is: `[user] name`, else the login name (`$USER`), else "me".
    pub fn me(&self) -> String {
        self.user_name
            .clone()
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.trim().is_empty()))
            .unwrap_or_else(|| "me".to_string())
    }

    /// A name as given on the command line: "me" is `me()`.
    pub fn who(&self, name: &str) -> String {
        if name.trim().eq_ignore_ascii_case("me") {
            self.me()
        } else {
            name.trim().to_string()
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_defaults_parse() {
        let mut config = Config::defaults();
        config
            .overlay(DEFAULT_CONFIG, Path::new("defaults"))
            .unwrap();
        assert_eq!(config.currency, "USD");
        assert_eq!(config.sla, SlaPolicy::default());
        assert_eq!(config.keys["global"]["q"], "quit");
        assert_eq!(config.keys["list"]["j"], "select_next");
    }

    #[test]
    fn user_values_override_and_keep_the_rest() {
        let mut config = Config::defaults();
        config
            .overlay("currency = \"eur\"\n[sla.urgent]\nresolution = \"2h\"\n[keys.list]\n\"n\" = \"select_next\"\n", Path::new("u"))
            .unwrap();
        assert_eq!(config.currency, "EUR");
        assert_eq!(
            config.sla.urgent.resolution,
            jiff::SignedDuration::from_hours(2)
        );
        assert_eq!(
            config.sla.urgent.first_response,
            jiff::SignedDuration::from_hours(1)
        );
        assert_eq!(config.keys["list"]["n"], "select_next");
        assert_eq!(config.keys["list"]["j"], "select_next");
    }

    #[test]
    fn service_level_rules_read_and_bad_ones_are_told() {
        use crate::domain::sla_clock::WarnBefore;
        let mut config = Config::defaults();
        assert_eq!(config.sla.pause_on, [TicketStatus::Pending]);
        assert_eq!(config.sla.warn_before, WarnBefore::Share(25));
        assert_eq!(config.sla.calendar, Calendar::Always);
        config
            .overlay(
                "[sla]\npause_on = [\"pending\", \"new\"]\nwarn_before = \"45m\"\n\
                 [sla.calendar]\nhours = [\"mon-fri 09:00-17:00\"]\nzone = \"UTC\"\nholidays = [\"2026-12-25\"]\n\
                 [sla.urgent]\ncalendar = \"24x7\"\n",
                Path::new("u"),
            )
            .unwrap();
        assert_eq!(
            config.sla.pause_on,
            [TicketStatus::Pending, TicketStatus::New]
        );
        assert_eq!(
            config.sla.warn_before,
            WarnBefore::Time(jiff::SignedDuration::from_mins(45))
        );
        assert!(matches!(config.sla.calendar, Calendar::Business(_)));
        assert_eq!(config.sla.calendar_of(Priority::Urgent), &Calendar::Always);
        assert_eq!(config.sla.calendar_of(Priority::High), &config.sla.calendar);
        // Friday 16:00 with 8 hours to a first answer: one that day, Monday 16:00.
        let friday: jiff::Timestamp = "2026-12-04T16:00:00Z".parse().unwrap();
        assert_eq!(
            config
                .sla
                .first_response_due(friday, Priority::Normal)
                .to_string(),
            "2026-12-07T16:00:00Z"
        );
        for (text, line, says) in [
            ("[sla]\npause_on = [\"waiting\"]\n", 2, "sla.pause_on"),
            (
                "[sla]\npause_on = [\"resolved\"]\n",
                2,
                "only open statuses pause",
            ),
            ("[sla]\nwarn_before = \"150%\"\n", 2, "warn_before"),
            (
                "[sla.calendar]\nhours = [\"mon-fri 9-5\"]\n",
                1,
                "sla.calendar.hours",
            ),
            (
                "[sla.calendar]\nhours = [\"mon 09:00-17:00\"]\nzone = \"Mars/Olympus\"\n",
                1,
                "unknown time zone",
            ),
            ("[sla.urgent]\ncalendar = \"always\"\n", 2, "24x7"),
            ("[sla.critical]\nresolution = \"1h\"\n", 1, "critical"),
        ] {
            let err = Config::defaults()
                .overlay(text, Path::new("c"))
                .unwrap_err();
            assert_eq!(err.line, Some(line), "{text}: {err}");
            assert!(err.to_string().contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let mut config = Config::defaults();
        let err = config
            .overlay(
                "currency = \"USD\"\ncolour = \"red\"\n",
                Path::new("/tmp/c.toml"),
            )
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("config /tmp/c.toml, line 2: unknown field `colour`"),
            "{text}"
        );
        let err = config
            .overlay("[sla.high]\nresolution = \"soon\"\n", Path::new("c"))
            .unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.to_string()
                .contains("sla.high: target must be a duration"),
            "{err}"
        );
        let err = config.overlay("currency = [", Path::new("c")).unwrap_err();
        assert_eq!(err.line, Some(1));
    }
}
