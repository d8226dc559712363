//! Kinds of threads: a plain discussion, a watch note (veille), a mobility offer
//! (mobilite, with an optional application deadline) or a poll (sondage, its question in
//! `polls`), each with hashtags. Pure rules; the posts module stores and federates them.

use super::action_plan::date;
use super::error::{DomainError, DomainResult, Rule};

/// The category of a thread; the code values travel in `postCategory`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Category {
    #[default]
    Discussion,
    Veille,
    Mobilite,
    /// A poll: opened by `polls::create`, never by the plain thread form.
    Sondage,
}

impl Category {
    /// What we accept from a form: an unknown value is an error.
    pub fn parse(raw: &str) -> DomainResult<Self> {
        match raw.trim() {
            "" | "discussion" => Ok(Category::Discussion),
            "veille" => Ok(Category::Veille),
            "mobilite" => Ok(Category::Mobilite),
            "sondage" => Ok(Category::Sondage),
            _ => Err(DomainError::invalid("category", Rule::Choice)),
        }
    }

    /// What we accept from a peer: an unknown category is a discussion.
    pub fn lenient(raw: &str) -> Self {
        Self::parse(raw).unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Discussion => "discussion",
            Category::Veille => "veille",
            Category::Mobilite => "mobilite",
            Category::Sondage => "sondage",
        }
    }
}

/// A thread's kind as an agent sets it when opening it.
#[derive(Debug, Clone, Default)]
pub struct PostKind {
    pub category: Category,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD` or empty.
    pub deadline: String,
    /// A poll's question (category `sondage`), stored with the thread on every path.
    pub poll: Option<super::polls::PollSpec>,
}

impl PostKind {
    /// Checks what a form sent.
    pub fn parse(category: &str, tags: &str, deadline: &str) -> DomainResult<Self> {
        let tags = tag_list(tags);
        if tags.len() > 10 {
            return Err(DomainError::invalid("tags", Rule::TooLong));
        }
        let category = Category::parse(category)?;
        if category == Category::Sondage {
            // A poll needs its question: the poll form opens it.
            return Err(DomainError::invalid("category", Rule::Choice));
        }
        Ok(PostKind {
            category,
            tags,
            deadline: date("deadline", deadline)?,
            poll: None,
        })
    }
}

/// One hashtag: `#` and spaces dropped, lower case, letters, digits, `-` and `_` only, at
/// most 30 characters; `None` when nothing is left.
pub fn tag(raw: &str) -> Option<String> {
    let t: String = raw
        .trim()
        .trim_start_matches('#')
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .take(30)
        .collect();
    (!t.is_empty()).then_some(t)
}

/// Hashtags typed as `rh, paie #mobilité`: deduplicated, in order.
pub fn tag_list(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in raw
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter_map(tag)
    {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Tags as stored: each surrounded by spaces (` rh paie `), empty for none.
pub fn stored(tags: &[String]) -> String {
    if tags.is_empty() {
        String::new()
    } else {
        format!(" {} ", tags.join(" "))
    }
}

/// Tags of a stored value.
pub fn tags_of(stored: &str) -> Vec<String> {
    stored.split_whitespace().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_unknown_categories_refused_from_forms_only() {
        assert_eq!(
            tag_list("RH, paie #Mobilité rh ;;"),
            ["rh", "paie", "mobilité"]
        );
        assert_eq!(tag("#<script>"), Some("script".into()));
        assert_eq!(stored(&tag_list("a b")), " a b ");
        assert_eq!(tags_of(" a b "), ["a", "b"]);
        assert!(Category::parse("annonce").is_err());
        assert_eq!(Category::lenient("annonce"), Category::Discussion);
        assert!(PostKind::parse("mobilite", "", "2027-13-01").is_err());
    }
}
