//! Settings: defaults embedded from `assets/default-config.toml`, overlaid by
//! the user's file. A broken file is reported with its path, line and key.

pub mod keymap;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::domain::health::HealthWeights;
use crate::domain::sla::{SlaTarget, parse_target};
use crate::domain::{Priority, SlaPolicy};

pub const DEFAULT_CONFIG: &str = include_str!("../../assets/default-config.toml");

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub currency: String,
    pub date_format: String,
    pub theme: BTreeMap<String, String>,
    pub sla: SlaPolicy,
    pub health: HealthWeights,
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
    sla: BTreeMap<String, SlaFile>,
    health: Option<HealthWeights>,
    #[serde(default)]
    keys: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlaFile {
    first_response: Option<Spanned<String>>,
    resolution: Option<Spanned<String>>,
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
        for (priority_name, targets) in file.sla {
            let priority = Priority::parse(&priority_name).map_err(|_| {
                error(
                    None,
                    format!(
                        "[sla.{priority_name}]: priority must be one of {}",
                        Priority::words()
                    ),
                )
            })?;
            let current = self.sla.target(priority);
            let read = |value: Option<Spanned<String>>, fallback| match value {
                Some(v) => parse_target("target", v.get_ref())
                    .map_err(|e| error(Some(v.span()), format!("sla.{priority_name}: {e}"))),
                None => Ok(fallback),
            };
            let target = SlaTarget {
                first_response: read(targets.first_response, current.first_response)?,
                resolution: read(targets.resolution, current.resolution)?,
            };
            *match priority {
                Priority::Low => &mut self.sla.low,
                Priority::Normal => &mut self.sla.normal,
                Priority::High => &mut self.sla.high,
                Priority::Urgent => &mut self.sla.urgent,
            } = target;
        }
        for (context, bindings) in file.keys {
            self.keys.entry(context).or_default().extend(bindings);
        }
        Ok(())
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
