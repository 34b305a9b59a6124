//! Word lists for demo data. Kept apart from the generator so the logic stays
//! readable; order matters (changing a list changes every seed's output).

use crate::domain::{Direction as D, InteractionKind as K};

/// People's names come from one culture at a time so that first and last
/// names fit together. Entries in a script that cannot be ascii-folded carry
/// their romanization after `|`, used for e-mail addresses.
pub struct Culture {
    pub weight: u32,
    /// Family name first, no space (Chinese, Japanese, Korean).
    pub family_first: bool,
    pub first: &'static [&'static str],
    pub last: &'static [&'static str],
}

pub const CULTURES: &[Culture] = &[
    Culture {
        weight: 30,
        family_first: false,
        first: &[
            "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
            "Elizabeth", "William", "Barbara", "Sarah", "Thomas", "Jessica", "Daniel", "Emily",
            "Matthew", "Ashley", "Chris", "Zoë", "Megan", "Ryan", "Olivia", "Ethan", "Grace",
            "Noah", "Chloe", "Liam", "Hannah",
        ],
        last: &[
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
            "Anderson", "Taylor", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris",
            "Clark", "Lewis", "Walker", "Hall", "Young", "Allen", "King", "Wright", "O'Brien",
            "Murphy", "Kelly", "Campbell", "Baker", "Foster",
        ],
    },
    Culture {
        weight: 12,
        family_first: false,
        first: &[
            "José", "María", "Lucía", "Carlos", "Sofía", "Javier", "Ana", "Diego", "Valentina",
            "Alejandro", "Camila", "Andrés", "Martín", "Inés", "Pablo", "Elena",
        ],
        last: &[
            "García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez",
            "Sánchez", "Ramírez", "Torres", "Flores", "Díaz", "Morales", "Ortiz", "Jiménez",
            "Ruiz", "Castillo", "Núñez",
        ],
    },
    Culture {
        weight: 8,
        family_first: false,
        first: &[
            "Lukas", "Anna", "Jonas", "Lea", "Felix", "Hannah", "Maximilian", "Lena", "Jürgen",
            "Ursula", "Tobias", "Katrin", "Stefan", "Julia",
        ],
        last: &[
            "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Schulz", "Hoffmann", "Köhler", "Groß", "Krüger", "Wolf", "Neumann", "Schäfer",
        ],
    },
    Culture {
        weight: 6,
        family_first: false,
        first: &[
            "Léa", "Camille", "Louis", "Chloé", "Hugo", "Manon", "Théo", "Élodie", "Antoine",
            "Margaux", "Benoît", "Céline",
        ],
        last: &[
            "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard", "Fournier",
            "Rousseau", "Petit", "Mercier", "Faure",
        ],
    },
    Culture {
        weight: 5,
        family_first: false,
        first: &[
            "Søren", "Ingrid", "Lars", "Astrid", "Mikkel", "Freja", "Björn", "Sigrid", "Henrik",
            "Maja", "Åsa", "Magnus", "Elin", "Oskar",
        ],
        last: &[
            "Jensen", "Nielsen", "Hansen", "Andersson", "Johansson", "Karlsson", "Larsen",
            "Lindqvist", "Berg", "Dahl", "Sørensen", "Nyström", "Holm", "Eriksson",
        ],
    },
    Culture {
        weight: 5,
        family_first: false,
        first: &[
            "Łukasz", "Agnieszka", "Piotr", "Katarzyna", "Michał", "Zofia", "Krzysztof",
            "Małgorzata", "Tomasz", "Ewa", "Paweł", "Dorota",
        ],
        last: &[
            "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
            "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski",
        ],
    },
    Culture {
        weight: 4,
        family_first: false,
        first: &[
            "Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Luca", "Martina", "Matteo",
            "Federica", "Giorgio",
        ],
        last: &[
            "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
            "Marino", "Greco", "Bruno", "Gallo",
        ],
    },
    Culture {
        weight: 8,
        family_first: false,
        first: &[
            "Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Arjun", "Neha", "Rahul",
            "Divya", "Sanjay", "Meera", "Aditya", "Pooja",
        ],
        last: &[
            "Sharma", "Patel", "Singh", "Gupta", "Kumar", "Reddy", "Iyer", "Nair", "Mehta",
            "Desai", "Joshi", "Rao", "Chatterjee", "Kapoor",
        ],
    },
    Culture {
        weight: 6,
        family_first: true,
        first: &[
            "芳|fang", "伟|wei", "娜|na", "敏|min", "静|jing", "磊|lei", "洋|yang", "杰|jie", "婷|ting",
            "强|qiang", "秀英|xiuying", "志强|zhiqiang", "丽|li", "军|jun",
        ],
        last: &[
            "王|wang", "李|li", "张|zhang", "刘|liu", "陈|chen", "杨|yang", "黄|huang", "赵|zhao", "吴|wu",
            "周|zhou",
        ],
    },
    Culture {
        weight: 3,
        family_first: true,
        first: &[
            "健|ken", "陽菜|hina", "翔|sho", "美咲|misaki", "大輝|daiki", "結衣|yui", "蓮|ren", "葵|aoi",
        ],
        last: &[
            "佐藤|sato", "鈴木|suzuki", "高橋|takahashi", "田中|tanaka", "渡辺|watanabe", "伊藤|ito",
            "山本|yamamoto", "中村|nakamura",
        ],
    },
    Culture {
        weight: 2,
        family_first: true,
        first: &[
            "민준|minjun", "서연|seoyeon", "지훈|jihoon", "하은|haeun", "도윤|doyun", "수빈|subin",
        ],
        last: &[
            "김|kim", "이|lee", "박|park", "최|choi", "정|jung", "강|kang",
        ],
    },
    Culture {
        weight: 4,
        family_first: false,
        first: &[
            "Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Folake", "Tunde", "Amara",
        ],
        last: &[
            "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Afolabi", "Obi",
        ],
    },
    Culture {
        weight: 4,
        family_first: false,
        first: &[
            "Omar", "Fatima", "Youssef", "Layla", "Karim", "Amira", "Hassan", "Nour",
        ],
        last: &[
            "Haddad", "Khalil", "Mansour", "Saleh", "Nasser", "Farouk", "Aziz", "Hamdan",
        ],
    },
    Culture {
        weight: 3,
        family_first: false,
        first: &[
            "Emre", "Elif", "Mehmet", "Zeynep", "Can", "Ayşe", "Burak", "Selin",
        ],
        last: &[
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan",
        ],
    },
];

/// Company names: ROOTS × INDUSTRIES × SUFFIXES (each may be left out except
/// the root). Roots are the famous fictional ones plus compounds such as
/// "Northwind" or "Bluestone".
pub const FAMOUS: &[&str] = &[
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Contoso", "Fabrikam", "Tailspin", "Wayne",
    "Stark", "Cyberdyne", "Soylent", "Vandelay", "Wonka", "Tyrell", "Aperture", "Oscorp", "Bluth",
    "Monarch", "Virtucon", "Spacely", "Cogswell", "Nakatomi", "Weyland", "Oceanic", "Duff",
    "Gekko", "Kramerica", "Sirius", "Zorg",
];
pub const ROOT_HEADS: &[&str] = &[
    "North", "South", "East", "West", "Blue", "Red", "Green", "Silver", "Gold", "Iron", "Bright",
    "Clear", "Swift", "Star", "Sun", "Moon", "Oak", "Pine", "Maple", "Cedar", "River", "Lake",
    "Sea", "Sky", "Cloud", "Summit", "True", "High", "Deep", "Fair", "Key", "Pixel", "Quantum",
    "Nova", "Cobalt", "Amber",
];
pub const ROOT_TAILS: &[&str] = &[
    "wind", "stone", "field", "bridge", "wave", "peak", "line", "path", "gate", "works", "leaf",
    "light", "ridge", "brook", "point", "vale", "ford", "crest", "haven", "forge", "mark", "port",
    "view", "spring", "wood", "bay", "shore", "wise", "core", "stack", "loop",
];
pub const INDUSTRIES: &[&str] = &[
    "Logistics", "Analytics", "Health", "Foods", "Systems", "Software", "Energy", "Capital",
    "Robotics", "Media", "Consulting", "Studios", "Manufacturing", "Motors", "Pharma", "Biotech",
    "Retail", "Networks", "Dynamics", "Solutions", "Insurance", "Travel", "Outdoor", "Textiles",
    "Engineering", "Architects", "Learning", "Finance", "Security", "Cloud", "Telecom",
    "Aerospace", "Marine", "Mining", "Farms", "Brewing", "Coffee", "Hotels", "Legal", "Design",
];
pub const SUFFIXES: &[&str] = &[
    "Corp", "Inc", "Ltd", "GmbH", "Labs", "LLC", "Group", "AG", "SA", "BV", "AB", "Oy", "Pty Ltd",
    "KK", "S.r.l.", "& Co", "Partners", "Holdings",
];

pub const TITLES: &[&str] = &[
    "CEO", "CTO", "CFO", "COO", "Founder", "VP Engineering", "Head of Operations", "Support Lead",
    "Office Manager", "IT Administrator", "Procurement Manager", "Product Manager",
    "Finance Director", "Marketing Lead", "Software Engineer", "Data Analyst", "HR Manager",
    "Account Executive", "Operations Analyst", "Project Manager",
];
pub const OWNERS: &[&str] = &["alice", "bob", "chen", "dana"];
pub const TAGS: &[&str] = &["vip", "beta", "partner", "churn-risk", "newsletter"];
pub const ORG_MAILBOXES: &[&str] = &["info", "hello", "contact", "accounts", "office"];

pub const CUSTOMER_NOTES: &[&str] = &[
    "Prefers email over calls.", "Budget cycle starts in October; talk renewals in August.",
    "Uses SSO via Okta; ask IT before changing login settings.",
    "Procurement needs a PO number on every invoice.",
    "Champion is the Head of Operations; CFO signs off on anything over $50k.",
    "Evaluating a competitor — keep an eye on usage.",
    "Time zone is CET; avoid calls after 4pm their time.",
    "Asked to be included in the beta programme.",
    "Invoices go to the shared accounts mailbox, not to individuals.",
    "Very responsive on chat, slow on email.",
];

pub const TICKET_SUBJECTS: &[&str] = &[
    "Cannot log in after password reset", "Invoice shows wrong VAT", "Export to CSV times out",
    "Dashboard loads very slowly", "Two-factor codes not arriving by SMS",
    "Need to change the billing address", "Webhook deliveries failing with 500",
    "User invited twice, cannot accept invitation", "Report totals do not match the raw data",
    "API returns 429 rate limit errors", "Request to add five more seats",
    "Scheduled email report not sent", "SSO login loops back to the sign-in page",
    "Charged twice this month", "Mobile app crashes on startup",
    "Search does not find recent records", "Attachment upload fails for PDFs over 10 MB",
    "Time zone wrong in exported calendar", "Please cancel our trial",
    "How do I merge duplicate contacts?", "Data import stuck at 99%",
    "Permission error when editing shared views", "Need a copy of the signed DPA",
    "Notifications arrive hours late", "Custom field values disappeared after update",
    "Cannot remove former employee's account", "Integration with Slack stopped posting",
    "Printer-friendly view cuts off the last column", "Question about annual vs monthly pricing",
    "Account locked after too many attempts",
];
pub const TICKET_BODIES: &[&str] = &[
    "Since this morning nobody on our team can get past the login page. We already cleared caches.",
    "Steps to reproduce:\n1. Open the report\n2. Click Export\n3. Wait — it spins for two minutes and fails.",
    "The invoice for last month lists 19% VAT but we are VAT-exempt (reverse charge). Please correct and reissue.",
    "This is blocking our month-end close, so a quick answer would be much appreciated.",
    "Screenshot attached. Happens in Chrome and Firefox, not in Safari.",
    "We changed nothing on our side. It started right after your maintenance window.",
    "Could you please confirm whether this is a known issue and when a fix is expected?",
    "Our auditors need this by Friday.",
];
pub const TICKET_REPLIES: &[&str] = &[
    "Replied with a workaround", "Asked for screenshots and browser version",
    "Acknowledged; escalated to engineering", "Sent step-by-step instructions",
    "Shared link to the help article", "Asked for the affected account IDs",
    "Confirmed the issue and gave an ETA", "Asked for steps to reproduce",
];
pub const TICKET_CLOSINGS: &[&str] = &[
    "Confirmed the fix with the customer", "Customer confirmed it works now",
    "Customer says it works again", "Fix deployed; asked customer to verify",
];

/// Everyday log lines: (summary, kind, direction).
pub const ACTIVITIES: &[(&str, K, D)] = &[
    ("Called about renewal terms", K::Call, D::Outbound),
    ("Quick call to confirm go-live date", K::Call, D::Outbound),
    ("Left voicemail about open invoice", K::Call, D::Outbound),
    (
        "Walked through the new reporting features",
        K::Call,
        D::Outbound,
    ),
    ("Call to discuss adding seats", K::Call, D::Outbound),
    (
        "Customer called asking about pricing tiers",
        K::Call,
        D::Inbound,
    ),
    ("Called to report slow dashboard", K::Call, D::Inbound),
    ("Asked how to add more users", K::Call, D::Inbound),
    ("Sent onboarding checklist", K::Email, D::Outbound),
    ("Sent renewal quote", K::Email, D::Outbound),
    (
        "Shared release notes for the spring update",
        K::Email,
        D::Outbound,
    ),
    ("Sent copy of last invoice", K::Email, D::Outbound),
    ("Sent QBR deck", K::Email, D::Outbound),
    ("Shared SSO setup guide", K::Email, D::Outbound),
    ("Asked for a W-9 form", K::Email, D::Inbound),
    ("Requested an updated contract", K::Email, D::Inbound),
    ("Feedback on the new UI", K::Email, D::Inbound),
    ("Asked about data retention policy", K::Email, D::Inbound),
    ("Sent signed order form", K::Email, D::Inbound),
    ("Quarterly business review", K::Meeting, D::Outbound),
    ("Kickoff meeting with project team", K::Meeting, D::Outbound),
    ("Demo of the analytics module", K::Meeting, D::Outbound),
    ("On-site training session", K::Meeting, D::Outbound),
    (
        "Roadmap preview with their product team",
        K::Meeting,
        D::Outbound,
    ),
    ("Chat: how to export reports", K::Chat, D::Inbound),
    ("Chat: question about API rate limits", K::Chat, D::Inbound),
    ("Chat: asked to reset 2FA", K::Chat, D::Inbound),
    ("Chat: shared link to help article", K::Chat, D::Outbound),
    ("Pinged about upcoming maintenance", K::Chat, D::Outbound),
    (
        "Champion is leaving the company next month",
        K::Note,
        D::Internal,
    ),
    ("Budget approved for next fiscal year", K::Note, D::Internal),
    (
        "Evaluating a competitor — watch usage closely",
        K::Note,
        D::Internal,
    ),
    ("Prefers morning calls (CET)", K::Note, D::Internal),
    (
        "Expansion opportunity in their EU team",
        K::Note,
        D::Internal,
    ),
    ("Invoice dispute settled", K::Note, D::Internal),
];
pub const ACTIVITY_BODIES: &[&str] = &[
    "Attendees: their ops lead and finance. Main concern is cost per seat; they want a 2-year price lock.",
    "Next steps:\n- send updated quote\n- schedule training for new hires\n- check SSO logs",
    "They are happy with support response times but want better reporting.",
    "Mentioned they might consolidate tools next year. Worth a call with their CTO.",
    "Usage is up 30% since last quarter, mostly from the new Berlin office.",
    "No decision yet; they will come back after their board meeting.",
    "Agreed to a pilot with two teams before rolling out company-wide.",
];

/// Per follow-up kind (onboarding, check_in, review, renewal, upsell): what
/// the note says, what the logged interaction says, and how it went.
pub const FOLLOWUP_NOTES: [&[&str]; 5] = [
    &["Walk through setup and invite the team", "Second onboarding session: reports"],
    &["See how the rollout is going", "Check adoption in the new team"],
    &["Quarterly business review", "Annual review with the executive sponsor"],
    &["Prepare renewal quote", "Discuss multi-year renewal"],
    &["Pitch the analytics add-on", "Discuss more seats for the sales team"],
];
/// What gets logged when a follow-up is done, and how it happened.
pub const FOLLOWUP_LOGS: [&[(&str, K)]; 5] = [
    &[("Onboarding session held", K::Meeting), ("Onboarding call: set up SSO", K::Call)],
    &[("Check-in call", K::Call), ("Checked in by email", K::Email)],
    &[("Held quarterly business review", K::Meeting), ("Reviewed usage and goals", K::Meeting)],
    &[("Renewal call", K::Call), ("Sent renewal terms", K::Email)],
    &[("Presented upsell options", K::Meeting), ("Call about additional seats", K::Call)],
];
pub const FOLLOWUP_OUTCOMES: [&[&str]; 5] = [
    &["Team invited; SSO configured", "Went well, needs a follow-up on reports"],
    &["All good, no issues", "Raised concern about performance"],
    &["Agreed on goals for next quarter", "Sponsor happy; wants roadmap preview"],
    &["Renewed for 12 months at +5%", "Renewed for 24 months", "Needs CFO approval"],
    &["Bought 10 more seats", "Not now, revisit next quarter"],
];
pub const SKIP_OUTCOMES: &[&str] = &["Customer on vacation", "Rescheduled by customer", "No longer needed"];
