//! The columns of the CSV files we read, by header name (any case): our own
//! export, Google Contacts (current and older) and Outlook, and what each fills.

/// Every header we understand, lowercased, and what it fills.
pub(super) const KNOWN: &[(&str, Field)] = &[
    ("uid", Field::Uid),
    ("kind", Field::Kind),
    ("name", Field::Name),
    ("organization", Field::Organization),
    ("email", Field::Email),
    ("phone", Field::Phone),
    ("title", Field::Title),
    ("segment", Field::Segment),
    ("tags", Field::Tags),
    ("stage", Field::Stage),
    ("owner", Field::Owner),
    ("renewal_on", Field::Renewal),
    ("contract_value", Field::Value),
    ("notes", Field::Notes),
    // Google Contacts (current and older exports).
    ("first name", Field::First),
    ("middle name", Field::Middle),
    ("last name", Field::Last),
    ("given name", Field::First),
    ("additional name", Field::Middle),
    ("family name", Field::Last),
    ("organization name", Field::Organization),
    ("organization 1 - name", Field::Organization),
    ("organization title", Field::Title),
    ("organization 1 - title", Field::Title),
    ("labels", Field::Labels),
    ("group membership", Field::Labels),
    ("e-mail 1 - value", Field::Email),
    ("phone 1 - value", Field::Phone),
    // Outlook. Its "Title" is the honorific, so it is not the job title.
    ("e-mail address", Field::Email),
    ("business phone", Field::Phone),
    ("mobile phone", Field::Phone),
    ("company", Field::Organization),
    ("job title", Field::Title),
    ("department", Field::Department),
    ("organization department", Field::Department),
    ("categories", Field::Categories),
    ("e-mail 2 address", Field::Keep("EMAIL")),
    ("e-mail 3 address", Field::Keep("EMAIL")),
    ("home phone", Field::Keep("TEL")),
    ("home phone 2", Field::Keep("TEL")),
    ("business phone 2", Field::Keep("TEL")),
    ("other phone", Field::Keep("TEL")),
    ("primary phone", Field::Keep("TEL")),
    ("company main phone", Field::Keep("TEL")),
    ("car phone", Field::Keep("TEL")),
    ("web page", Field::Keep("URL")),
    ("anniversary", Field::Keep("ANNIVERSARY")),
    ("business address po box", Field::Address(0, 0)),
    ("business street", Field::Address(0, 2)),
    ("business street 2", Field::Address(0, 2)),
    ("business street 3", Field::Address(0, 2)),
    ("business city", Field::Address(0, 3)),
    ("business state", Field::Address(0, 4)),
    ("business postal code", Field::Address(0, 5)),
    ("business country/region", Field::Address(0, 6)),
    ("home address po box", Field::Address(1, 0)),
    ("home street", Field::Address(1, 2)),
    ("home street 2", Field::Address(1, 2)),
    ("home street 3", Field::Address(1, 2)),
    ("home city", Field::Address(1, 3)),
    ("home state", Field::Address(1, 4)),
    ("home postal code", Field::Address(1, 5)),
    ("home country/region", Field::Address(1, 6)),
    ("other address po box", Field::Address(2, 0)),
    ("other street", Field::Address(2, 2)),
    ("other street 2", Field::Address(2, 2)),
    ("other street 3", Field::Address(2, 2)),
    ("other city", Field::Address(2, 3)),
    ("other state", Field::Address(2, 4)),
    ("other postal code", Field::Address(2, 5)),
    ("other country/region", Field::Address(2, 6)),
    // Both: details without a field of their own, kept as vCard would.
    ("birthday", Field::Keep("BDAY")),
    ("nickname", Field::Keep("NICKNAME")),
    // Labels of other columns, and what repeats them: nothing of their own.
    ("e-mail type", Field::Ignore),
    ("e-mail display name", Field::Ignore),
    ("e-mail 2 type", Field::Ignore),
    ("e-mail 2 display name", Field::Ignore),
    ("e-mail 3 type", Field::Ignore),
    ("e-mail 3 display name", Field::Ignore),
    ("file as", Field::Ignore),
];

/// Google numbers repeated fields: "E-mail 2 - Value", "Address 1 - City".
/// The first email and phone are the main ones; the others are kept.
pub(super) fn numbered(key: &str) -> Option<Field> {
    let (left, what) = key.split_once(" - ")?;
    let (kind, number) = left.rsplit_once(' ')?;
    let number: u8 = number.parse().ok()?;
    let address_part = |what: &str| {
        [
            "po box",
            "extended address",
            "street",
            "city",
            "region",
            "postal code",
            "country",
        ]
        .iter()
        .position(|p| *p == what)
    };
    Some(match (kind, what) {
        (_, "label" | "type" | "formatted") => Field::Ignore,
        ("e-mail", "value") if number == 1 => Field::Email,
        ("e-mail", "value") => Field::Keep("EMAIL"),
        ("phone", "value") if number == 1 => Field::Phone,
        ("phone", "value") => Field::Keep("TEL"),
        ("website", "value") => Field::Keep("URL"),
        ("organization", "department") => Field::Department,
        ("address", part) => Field::Address(
            number.saturating_add(2),
            u8::try_from(address_part(part)?).ok()?,
        ),
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Field {
    Uid,
    Kind,
    Name,
    First,
    Middle,
    Last,
    Organization,
    Email,
    Phone,
    Title,
    Segment,
    Tags,
    Labels,
    Stage,
    Owner,
    Renewal,
    Value,
    Notes,
    /// "extra adr" and the like: a detail without a field of its own; the
    /// index names it in `extra_names`.
    Extra(usize),
    /// A detail kept under this vCard property name (a second email ...).
    Keep(&'static str),
    /// One part (PO box, extended, street, city, region, postal code,
    /// country) of address number `.0`, kept as a vCard ADR.
    Address(u8, u8),
    /// Goes to the notes, as "Department: ...".
    Department,
    /// Outlook's categories, split at `;`.
    Categories,
    /// Known, and carries nothing to keep (labels of other columns).
    Ignore,
}
