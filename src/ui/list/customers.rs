//! The customer list: who (name, their organization or its people), how they
//! are doing (health, stage), then segment and email as width allows.

use ratatui::style::Style;

use super::columns::{Cell, Column, Row};
use super::{Table, View, title, visible};
use crate::app::State;
use crate::domain::health::{Health, HealthBand};
use crate::domain::{Customer, CustomerKind, Stage};
use crate::ui::Theme;

/// Name and health stay longest, the email goes first: it tells two people
/// of the same name apart, but so does the organization, which is shorter.
fn columns() -> Vec<Column> {
    vec![
        Column::flex("NAME", 16),
        Column::fit("ORGANIZATION", 3, 16),
        Column::fit("HEALTH", 1, 6),
        Column::fit("STAGE", 2, 10),
        Column::fit("SEGMENT", 4, 12),
        Column::fit("EMAIL", 5, 28),
    ]
}

pub(super) fn table(state: &State, theme: &Theme, view: View) -> Table {
    let rows = visible(&state.customers.rows, state.customers.offset, view, |c| {
        row(state, theme, c)
    });
    let sort = crate::app::update::sort_words(state.customer_sort());
    Table {
        title: title(state, "Customers", sort),
        columns: columns(),
        rows,
        selected: state.customers.selected,
    }
}

fn row(state: &State, theme: &Theme, c: &Customer) -> Row {
    let marker = if c.kind == CustomerKind::Organization {
        "▣ "
    } else {
        "  "
    };
    let (health, health_style) = match state.health.get(&c.id) {
        Some(scored) => health_cell(&scored.health, theme),
        None => (String::new(), Style::new()),
    };
    let belongs = match (c.kind, c.people) {
        (CustomerKind::Organization, Some(0)) => "no people".to_string(),
        (CustomerKind::Organization, Some(1)) => "1 person".to_string(),
        (CustomerKind::Organization, Some(n)) => format!("{n} people"),
        _ => c.organization.clone().unwrap_or_default(),
    };
    Row::Cells(vec![
        Cell::plain(&format!("{marker}{}", c.name)),
        Cell::new(&belongs, theme.muted()),
        Cell::new(&health, health_style),
        Cell::new(stage_label(c.stage), stage_style(c.stage, theme)),
        Cell::new(c.segment.as_deref().unwrap_or_default(), theme.muted()),
        Cell::new(c.email.as_deref().unwrap_or_default(), theme.muted()),
    ])
}

/// "  92", " ~55", " !30": the band shows as a symbol too, not by colour alone.
fn health_cell(health: &Health, theme: &Theme) -> (String, Style) {
    let band = health.band();
    let style = match band {
        HealthBand::Good => theme.good(),
        HealthBand::Watch => theme.warning(),
        HealthBand::AtRisk => theme.danger(),
    };
    (
        format!("{:>4}", format!("{}{}", band.mark(), health.score)),
        style,
    )
}

fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Prospect => "prospect",
        Stage::Onboarding => "onboarding",
        Stage::Active => "active",
        Stage::AtRisk => "! at risk",
        Stage::Churned => "churned",
    }
}

fn stage_style(stage: Stage, theme: &Theme) -> Style {
    match stage {
        Stage::AtRisk => theme.warning(),
        Stage::Churned => theme.muted(),
        _ => Style::new(),
    }
}
